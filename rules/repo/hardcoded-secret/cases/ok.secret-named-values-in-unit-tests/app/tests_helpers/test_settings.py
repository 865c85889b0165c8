from app.settings import Settings


def test_reads_database_password():
    settings = Settings(db_password="Vq8rL2mT9xK4wN7z")
    assert settings.dsn().endswith("@db:5432/app")
