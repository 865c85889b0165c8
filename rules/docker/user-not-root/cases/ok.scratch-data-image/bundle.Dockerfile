FROM scratch
LABEL operators.operatorframework.io.bundle.mediatype.v1=registry+v1
COPY manifests /manifests/
COPY metadata /metadata/
