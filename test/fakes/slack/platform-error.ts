/** The Slack `error` of a rejected Web API call (WebAPIPlatformError keeps it in `data`), or undefined if it resolved. */
export async function platformError(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  return (error as { data?: { error?: unknown } } | undefined)?.data?.error;
}
