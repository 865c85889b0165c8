import picomatch from "picomatch";

/**
 * A picomatch matcher for paths (`dot: true`, as everywhere in bulkhead). picomatch builds `*`,
 * `?` and `**` from `.`, which without the `s` flag matches no line terminator: a directory
 * named with `\n`, `\r`, U+2028 or U+2029 would silently escape `include: ["**\/*"]`.
 */
export function pathMatcher(glob: string | string[]): picomatch.Matcher {
  return picomatch(glob, { dot: true, flags: "s" });
}
