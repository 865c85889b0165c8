"""Reads the bot's secrets from Vault at start-up; nothing secret is stored here."""
import os


def vault_address() -> str:
    return os.environ["VAULT_ADDR"]
