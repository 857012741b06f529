/**
 * The browser side of the preview's calls to its server: JSON in, JSON out, and failures as
 * the platform hands them to components (an object with `status` and `body`), so the
 * components' own error handling (c/ldsUtils.reduceErrors) is what the preview exercises.
 */
export async function postJson(url, body, method = 'POST') {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {})
    });
  } catch (cause) {
    // The preview server itself is gone (npm start stopped): say so instead of "Failed to fetch".
    throw {
      status: 0,
      statusText: 'Network error',
      body: {
        message: `The preview server cannot be reached (${cause?.message ?? cause}). Is npm start still running?`
      }
    };
  }
  const text = await response.text();
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = { message: text };
  }
  if (!response.ok) {
    throw {
      status: response.status,
      statusText: response.statusText,
      ok: false,
      body: payload
    };
  }
  return payload;
}
