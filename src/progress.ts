/** "files done / total" on stderr for long runs on a terminal; silent otherwise. */
export function startProgress(stream: NodeJS.WriteStream, options: { enabled: boolean; minFiles?: number }) {
  const minFiles = options.minFiles ?? 300;
  let shown = false;
  let last = 0;
  return {
    update(done: number, total: number): void {
      if (!options.enabled || total < minFiles) return;
      const now = Date.now();
      if (done !== total && now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\rbulkhead: ${done}/${total} files`);
    },
    done(): void {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
