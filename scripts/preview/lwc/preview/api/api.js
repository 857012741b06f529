/** The preview server's own read routes, for the list and record pages. */

async function getJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (cause) {
    throw new Error(
      `The preview server cannot be reached (${cause.message}). Is npm start still running?`
    );
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(
      body.message ?? `${response.status} ${response.statusText}`
    );
  }
  return body;
}

export const loadIncidents = () => getJson('/preview/api/incidents');

export const loadRecord = (recordId) =>
  getJson(`/preview/api/records/${encodeURIComponent(recordId)}`);
