import os

# Don't do this: phone_number = "+1234567890"
# phone_number = "+1234567890"
phone_number = os.getenv("SIGNAL_PHONE_NUMBER")  # e.g. phone_number = "+1234567890"
