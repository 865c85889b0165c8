from twilio.rest import Client

client = Client()
client.messages.create(to="+15558675310", from_="+15017122661", body="bot started")
