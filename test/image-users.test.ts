// The documented list of images that do not run as root (data/image-users.json) and its lookup.
import { test } from "node:test";
import assert from "node:assert/strict";
import data from "../data/image-users.json" with { type: "json" };
import { imageUserOf } from "../src/selectors/image-users.ts";
import { parseImageRef } from "../src/selectors/image.ts";

const lookup = (image: string) => imageUserOf(parseImageRef(image)!);

test("every entry names its image, user and a source that shows it", () => {
  for (const e of [...data.nonRoot, ...data.dropsPrivileges]) {
    assert.ok(e.image && e.user, JSON.stringify(e));
    assert.match(e.source, /^https:\/\//, `${e.image}: source is a URL`);
  }
  for (const e of data.dropsPrivileges) assert.ok(e.how, `${e.image}: says how the entrypoint switches user`);
});

test("names are compared without docker.io/ and library/; an image without a tag is latest", () => {
  assert.equal(lookup("docker.io/library/postgres:16")?.kind, "drops-privileges");
  assert.equal(lookup("postgres")?.user, "postgres");
  assert.equal(lookup("grafana/grafana:11.2.0")?.kind, "non-root");
  assert.equal(lookup("quay.io/prometheus/prometheus:v2.54.1")?.kind, "non-root");
  assert.equal(lookup("nginx:1.27"), undefined);
});

test("tags narrow an entry: distroless only in its nonroot variants, gitea's rootless image, influxdb 2", () => {
  assert.equal(lookup("gcr.io/distroless/static-debian12:nonroot")?.kind, "non-root");
  assert.equal(lookup("gcr.io/distroless/static-debian12:debug-nonroot")?.kind, "non-root");
  assert.equal(lookup("gcr.io/distroless/static-debian12"), undefined);
  assert.equal(lookup("gcr.io/distroless/static:debug"), undefined);
  assert.equal(lookup("gitea/gitea:1.22-rootless")?.kind, "non-root");
  assert.equal(lookup("gitea/gitea:1.22")?.kind, "drops-privileges");
  assert.equal(lookup("influxdb:2.7")?.kind, "drops-privileges");
  assert.equal(lookup("influxdb:1.8"), undefined);
});
