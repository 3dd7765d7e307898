// The account page: sign in at the user's own PDS, then call the keyserver with one service token
// per call. The app password and the PDS session stay in this page's memory and go only to the PDS;
// the keyserver sees service tokens (com.atproto.server.getServiceAuth, aud = its DID, lxm = the
// method), nothing else. No framework, no build step: plain DOM, text only (never innerHTML).

const LIST_VERSIONS = 'dev.atpkeyserver.alpha.keypair.listVersions';
const GET_LOGS = 'dev.atpkeyserver.alpha.accessLogs.getLogs';
const DELETE_ACCOUNT = 'dev.atpkeyserver.alpha.account.delete';
const LIST_DEVICES = 'dev.atpkeyserver.alpha.device.list';
const CONFIRMATION = 'DELETE_ALL_MY_DATA';
const LOG_PAGE_SIZE = 20;
// Service tokens are asked for one call each and live this long (seconds).
const TOKEN_LIFETIME = 60;

const $ = (id) => document.getElementById(id);

/** An XRPC error: the HTTP status and the body's error and message, as the contract sends them. */
class XrpcError extends Error {
  constructor(status, error, message) {
    super(message ? `${error}: ${message}` : error);
    this.status = status;
    this.error = error;
  }
}

let config = null; // {serviceDid, plcUrl}, from this server
let session = null; // {pds, did, handle, accessJwt, refreshJwt}
// The access log's pages seen so far: cursors[i] is the cursor that loads page i (none for page 0).
let logCursors = [undefined];
let logPage = 0;

async function call(url, init = {}) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new XrpcError(0, 'NetworkError', `could not reach ${new URL(url, location.href).origin}`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new XrpcError(
      response.status,
      (body && body.error) || `HTTP ${response.status}`,
      (body && body.message) || '',
    );
  }
  return body;
}

function query(base, nsid, params = {}) {
  const url = new URL(`/xrpc/${nsid}`, base);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/** The DID of a handle (or the DID itself), through com.atproto.identity.resolveHandle. */
async function resolveDid(identifier, resolver) {
  if (identifier.startsWith('did:')) return identifier;
  const handle = identifier.replace(/^@/, '').toLowerCase();
  const out = await call(query(resolver, 'com.atproto.identity.resolveHandle', { handle }));
  return out.did;
}

/** The PDS endpoint in a DID's document (did:plc from the PLC directory, did:web from its host). */
async function pdsOf(did) {
  let document;
  if (did.startsWith('did:plc:')) {
    document = await call(`${config.plcUrl}/${did}`);
  } else if (did.startsWith('did:web:')) {
    const host = decodeURIComponent(did.slice('did:web:'.length).split(':')[0]);
    document = await call(`https://${host}/.well-known/did.json`);
  } else {
    throw new XrpcError(0, 'UnsupportedDid', `${did} is neither did:plc nor did:web`);
  }
  const service = (document.service || []).find(
    (s) => s.id === '#atproto_pds' || s.id === `${did}#atproto_pds`,
  );
  if (!service || typeof service.serviceEndpoint !== 'string') {
    throw new XrpcError(0, 'NoPds', `the DID document of ${did} names no PDS`);
  }
  return service.serviceEndpoint.replace(/\/+$/, '');
}

async function pds(nsid, params, body) {
  const init = { headers: { Authorization: `Bearer ${session.accessJwt}` } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return call(query(session.pds, nsid, params), init);
}

/** A service token for one keyserver method; refreshes the PDS session once if it expired. */
async function serviceToken(lxm) {
  const params = {
    aud: config.serviceDid,
    lxm,
    exp: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME,
  };
  try {
    return (await pds('com.atproto.server.getServiceAuth', params)).token;
  } catch (e) {
    if (!(e instanceof XrpcError) || e.error !== 'ExpiredToken') throw e;
    const refreshed = await call(query(session.pds, 'com.atproto.server.refreshSession'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.refreshJwt}` },
    });
    session.accessJwt = refreshed.accessJwt;
    session.refreshJwt = refreshed.refreshJwt;
    return (await pds('com.atproto.server.getServiceAuth', params)).token;
  }
}

/** Calls a keyserver method on this origin with a fresh service token. */
async function keyserver(nsid, params, body) {
  const token = await serviceToken(nsid);
  const init = { headers: { Authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return call(query(location.origin, nsid, params), init);
}

function status(text) {
  $('status').textContent = text;
}

function showError(error) {
  const box = $('error');
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function when(datetime) {
  if (!datetime) return '–';
  const date = new Date(datetime);
  return Number.isNaN(date.getTime()) ? datetime : date.toLocaleString();
}

/** A table row; a cell is a text, or [text, class] ('id' for DIDs and group ids, which may break anywhere). */
function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const [text, className] = Array.isArray(cell) ? cell : [cell, ''];
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.append(td);
  }
  return tr;
}

async function showKeys() {
  const out = await keyserver(LIST_VERSIONS, {});
  const body = $('keys-table').querySelector('tbody');
  body.replaceChildren(
    ...out.versions.map((v) => row([String(v.version), v.status, when(v.created_at), when(v.revoked_at)])),
  );
  $('keys-table').hidden = out.versions.length === 0;
  $('keys-empty').hidden = out.versions.length !== 0;
}

async function showDevices() {
  const out = await keyserver(LIST_DEVICES, { did: session.did, includeRevoked: true });
  const body = $('devices-table').querySelector('tbody');
  body.replaceChildren(
    ...out.devices.map((d) =>
      row([
        d.deviceName || '–',
        [d.deviceId, 'id'],
        [d.fingerprint, 'id'],
        d.status === 'revoked' ? `revoked ${when(d.revokedAt)}` : d.status,
        [when(d.registeredAt), 'nowrap'],
        d.oneTimePreKeyCount === undefined ? '–' : String(d.oneTimePreKeyCount),
      ]),
    ),
  );
  $('devices-table').hidden = out.devices.length === 0;
  $('devices-empty').hidden = out.devices.length !== 0;
}

function keyName(entry) {
  if (entry.key_type === 'group' && entry.group_id) return `group ${entry.group_id}, version ${entry.version}`;
  return `your keypair, version ${entry.version}`;
}

async function showLog(page) {
  const out = await keyserver(GET_LOGS, { limit: LOG_PAGE_SIZE, cursor: logCursors[page] });
  logPage = page;
  if (out.cursor) logCursors[page + 1] = out.cursor;
  else logCursors.length = page + 1;
  const body = $('log-table').querySelector('tbody');
  body.replaceChildren(
    ...out.logs.map((e) =>
      row([
        [when(e.accessed_at), 'nowrap'],
        // The lexicon leaves accessor_did out when the owner read their own key.
        [e.accessor_did || 'you', 'id'],
        [keyName(e), 'id'],
        [e.ip || '–', 'nowrap'],
        e.user_agent || '–',
      ]),
    ),
  );
  const empty = out.logs.length === 0 && page === 0;
  $('log-table').hidden = empty;
  $('log-empty').hidden = !empty;
  $('log-pager').hidden = empty;
  $('log-newer').disabled = page === 0;
  $('log-older').disabled = !out.cursor;
  $('log-position').textContent = empty ? '' : `Page ${page + 1}`;
}

async function signIn(event) {
  event.preventDefault();
  clearError();
  const identifier = $('identifier').value.trim();
  const password = $('password').value;
  if (!identifier || !password) {
    showError('Enter your handle (or DID) and an app password.');
    (identifier ? $('password') : $('identifier')).focus();
    return;
  }
  $('signin-button').disabled = true;
  try {
    status('Finding your PDS…');
    const did = await resolveDid(identifier, $('resolver').value.replace(/\/+$/, ''));
    const endpoint = await pdsOf(did);
    status(`Signing in at ${endpoint}…`);
    const created = await call(query(endpoint, 'com.atproto.server.createSession'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier, password }),
    });
    if (created.did !== did) {
      throw new XrpcError(0, 'WrongAccount', `the PDS signed in ${created.did}, not ${did}`);
    }
    session = {
      pds: endpoint,
      did: created.did,
      handle: created.handle,
      accessJwt: created.accessJwt,
      refreshJwt: created.refreshJwt,
    };
    $('password').value = '';
    $('who-handle').textContent = created.handle || '–';
    $('who-did').textContent = created.did;
    $('who-pds').textContent = endpoint;
    $('signin').hidden = true;
    $('account').hidden = false;
    $('deleted').hidden = true;
    $('delete-form').hidden = false;
    status('Loading your keys and access log…');
    logCursors = [undefined];
    await Promise.all([showKeys(), showDevices(), showLog(0)]);
    status(`Signed in as ${created.handle || created.did}.`);
    $('who-title').focus();
  } catch (e) {
    status('');
    showError(e);
  } finally {
    $('signin-button').disabled = false;
  }
}

function signOut() {
  session = null;
  $('account').hidden = true;
  $('signin').hidden = false;
  $('keys-table').querySelector('tbody').replaceChildren();
  $('devices-table').querySelector('tbody').replaceChildren();
  $('log-table').querySelector('tbody').replaceChildren();
  clearError();
  status('Signed out. Revoke the app password in your app if you no longer need it.');
  $('identifier').focus();
}

async function page(delta) {
  clearError();
  try {
    await showLog(logPage + delta);
    $('log-title').scrollIntoView();
  } catch (e) {
    showError(e);
  }
}

async function deleteAll(event) {
  event.preventDefault();
  clearError();
  const input = $('confirmation');
  const fieldError = $('confirmation-error');
  if (input.value !== CONFIRMATION) {
    fieldError.textContent = `Type ${CONFIRMATION} exactly to delete all your data.`;
    fieldError.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  fieldError.hidden = true;
  input.removeAttribute('aria-invalid');
  $('delete-button').disabled = true;
  try {
    status('Deleting…');
    const counts = await keyserver(DELETE_ACCOUNT, undefined, { confirmation: CONFIRMATION });
    $('deleted-keys').textContent = String(counts.keys);
    $('deleted-groups').textContent = String(counts.groups);
    $('deleted-memberships').textContent = String(counts.memberships);
    $('deleted-logs').textContent = String(counts.accessLogs);
    $('deleted-devices').textContent = String(counts.devices);
    $('deleted-prekeys').textContent = String(counts.preKeys);
    input.value = '';
    $('delete-form').hidden = true;
    $('deleted').hidden = false;
    logCursors = [undefined];
    await Promise.all([showKeys(), showDevices(), showLog(0)]);
    status('All your data on this keyserver was deleted.');
    $('deleted-title').focus();
  } catch (e) {
    status('');
    showError(e);
  } finally {
    $('delete-button').disabled = false;
  }
}

async function start() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('log-newer').addEventListener('click', () => page(-1));
  $('log-older').addEventListener('click', () => page(1));
  $('delete-form').addEventListener('submit', deleteAll);
  try {
    config = await call('/account/config.json');
  } catch (e) {
    showError(e);
    $('signin-button').disabled = true;
  }
}

start();
