import os

phone_number = os.getenv("SIGNAL_PHONE_NUMBER", "")
