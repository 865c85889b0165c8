import { lintSource } from "@secretlint/core";
import { creator } from "@secretlint/secretlint-rule-preset-recommend";
const config = { rules: [{ id: creator.meta.id, rule: creator }] };
const line = 'const url = "https://example.com/api"; // token here ghp_ placeholder\n';
let body = ''; while (body.length < 2048) body += line;
const N = +process.argv[2] || 1000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const r = await lintSource({ source: { content: body + i, filePath: `f${i}.ts`, ext: ".ts", contentType: "text" }, options: { config } });
}
const t1 = performance.now();
console.log(N, "files", (t1 - t0).toFixed(0), "ms", (process.memoryUsage().rss/1e6).toFixed(0), "MB rss");
