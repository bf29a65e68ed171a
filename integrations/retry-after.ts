// An HTTP Retry-After header (seconds or an HTTP date) as milliseconds to wait; undefined when absent or unreadable.
export const parseRetryAfter = (h: string | null): number | undefined => {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
};
