/** Kept in sync with package.json by a test. */
export const VERSION = "0.1.0";

export const HOMEPAGE = "https://github.com/bulkhead-dev/bulkhead";
