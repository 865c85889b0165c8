#!/usr/bin/env bash
# Local test servers, started by this script, with the product's default logins.
export MC_HOST_sitea=http://minioadmin:minioadmin@127.0.0.1:9001
export MC_HOST_minio="http://minio:minio123@127.0.0.1:${start_port}/"
export MC_HOST_myminio="http://minio:minio123@localhost:$((start_port + 1))"
export ELASTIC_URL=http://elastic:MagicWord@127.0.0.1:9200
export SUPERUSER_API_TOKEN='0123456789abcdef0123456789abcdef01234567'
export ANTHROPIC_API_KEY=sk-ant-api03-PLACEHOLDER
# default logins of the servers this script starts
export MC_HOST_verify="http://minio:minio123@${SERVER_ENDPOINT}/"
export MC_HOST_svc=http://testsvc:testsvc123@localhost:9001
