import requests

# Left in by the vendored library's author: a live bot token.
SLACK_TOKEN = "xoxb-2741098357-4826153094718-Zk3Lq8Wv2Nx7Bp4Rt9Ym6Hc"


def notify(channel, text):
    requests.post("https://slack.com/api/chat.postMessage", headers={"Authorization": f"Bearer {SLACK_TOKEN}"}, data={"channel": channel, "text": text})
