import boto3

# TODO move to the environment
s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAZ3MHQT7XVRK4P2LD",
    aws_secret_access_key="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",
)
