import os

API_KEY = os.environ["API_KEY"]
SECRET_KEY = os.getenv("SECRET_KEY", "")
DB_PASSWORD = "<your-database-password>"
GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
password = get_password_from_vault_for_the_signal_bot()
SECRET_KEY_FILE = "/run/secrets/signal_bot_secret_key"
DATABASE_URL = f"postgres://{user}:{password}@db:5432/app"
