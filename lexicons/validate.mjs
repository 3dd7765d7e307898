// Checks that every lexicon in this folder is valid under the official ATProto Lexicon tooling
// (@atproto/lexicon) and that the contract's example values validate against each method.
//
// Run it from a scratch folder OUTSIDE the repository, so node_modules never lands in the tree:
//   mkdir -p /tmp/lexval && cd /tmp/lexval && npm init -y && npm install @atproto/lexicon
//   NODE_PATH=/tmp/lexval/node_modules node /path/to/atp-keyserver/lexicons/validate.mjs
// (or copy this file into /tmp/lexval and run `node validate.mjs /path/to/atp-keyserver/lexicons`).
// Exit status 0 means every check passed.

import { createRequire } from 'node:module'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// ESM ignores NODE_PATH, so resolve the package the CommonJS way, from the working directory first.
const require = createRequire(join(process.cwd(), 'noop.js'))
let lexicon
try {
  lexicon = require('@atproto/lexicon')
} catch {
  lexicon = createRequire(import.meta.url)('@atproto/lexicon')
}
const { Lexicons, lexiconDoc } = lexicon
// lexiconDoc checks each def through z.custom, which discards the parsed value, so unknown keys
// survive it; parsing each def with its own schema strips them, which sameShape then notices.
const defSchemas = {
  query: lexicon.lexXrpcQuery,
  procedure: lexicon.lexXrpcProcedure,
  subscription: lexicon.lexXrpcSubscription,
  record: lexicon.lexRecord,
  object: lexicon.lexObject,
  array: lexicon.lexArray,
  token: lexicon.lexToken,
  string: lexicon.lexString,
  integer: lexicon.lexInteger,
  boolean: lexicon.lexBoolean,
  bytes: lexicon.lexBytes,
  'cid-link': lexicon.lexCidLink,
  blob: lexicon.lexBlob,
  unknown: lexicon.lexUnknown,
}

const root = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)))

function jsonFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : jsonFiles(path)
      return name.endsWith('.json') ? [path] : []
    })
}

// zod strips keys it does not know, so a typo such as "requried" would pass silently:
// compare the parsed value with the file to catch it.
function sameShape(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShape(x, b[i]))
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return sameShape(ka, kb) && ka.every((k) => sameShape(a[k], b[k]))
  }
  return a === b
}

let failures = 0
function check(label, fn) {
  try {
    fn()
    console.log(`ok   ${label}`)
  } catch (e) {
    failures++
    console.log(`FAIL ${label}: ${e.message}`)
  }
}
function checkRejected(label, fn) {
  try {
    fn()
    failures++
    console.log(`FAIL ${label}: accepted, expected a validation error`)
  } catch (e) {
    console.log(`ok   ${label} (rejected: ${e.message})`)
  }
}

const docs = []
for (const path of jsonFiles(root)) {
  const rel = relative(root, path)
  const raw = JSON.parse(readFileSync(path, 'utf8'))
  check(`schema ${rel}`, () => {
    const parsed = lexiconDoc.parse(raw)
    if (!sameShape(parsed, raw)) throw new Error('contains keys the Lexicon language does not define')
    for (const [name, def] of Object.entries(raw.defs)) {
      if (!sameShape(defSchemas[def.type].parse(def), def)) {
        throw new Error(`def ${name} contains keys the Lexicon language does not define`)
      }
    }
    const expected = raw.id.split('.').join('/') + '.json'
    if (rel !== expected) throw new Error(`id ${raw.id} does not match the file path (expected ${expected})`)
  })
  docs.push(raw)
}

let lex
check('load all documents with new Lexicons(docs)', () => {
  lex = new Lexicons(structuredClone(docs))
})
if (!lex) process.exit(1)

const NS = 'dev.atpkeyserver.alpha.'
const group = 'did:plc:abc123#followers'
const ts = '2025-01-24T10:30:00.000Z'
const versions = [
  { version: 2, status: 'active', created_at: ts, revoked_at: null },
  { version: 1, status: 'revoked', created_at: '2025-01-20T08:00:00.000Z', revoked_at: ts },
]

// Example values from the API contract, one entry per method.
const examples = {
  'keypair.getPublicKey': {
    params: { did: 'did:plc:abc123', version: 1 },
    output: { publicKey: 'a1b2c3d4e5f6', version: 1 },
    badParams: [{}, { did: 'not-a-did' }, { did: 'did:plc:abc123', version: 0 }],
  },
  'keypair.getKeypair': {
    params: {},
    output: { publicKey: 'a1b2c3d4e5f6', privateKey: '9f8e7d6c5b4a', version: 2 },
    badParams: [{ version: 0 }],
  },
  'keypair.rotate': {
    input: { reason: 'suspected_compromise' },
    moreInputs: [{}],
    output: { oldVersion: 1, newVersion: 2, rotatedAt: ts },
  },
  'keypair.listVersions': {
    params: {},
    moreParams: [{ limit: 1 }, { limit: 1, cursor: 'AQIAAAACKQO4PA' }],
    output: { versions },
    moreOutputs: [{ versions: versions.slice(0, 1), cursor: 'AQIAAAACKQO4PA' }],
    badParams: [{ limit: 0 }, { limit: 1001 }, { cursor: 'x'.repeat(129) }],
    badOutputs: [{ versions: [{ version: 2, status: 'active', created_at: ts }] }],
  },
  'accessLogs.getLogs': {
    params: { limit: 100 },
    output: {
      logs: [
        { version: 2, accessed_at: ts, ip: '192.0.2.1', user_agent: 'Mozilla/5.0...' },
        { version: 1, accessed_at: '2025-01-22T08:15:00.000Z', ip: null, user_agent: null },
        {
          version: 3,
          accessed_at: ts,
          ip: '192.0.2.1',
          user_agent: 'curl/8',
          key_type: 'group',
          group_id: group,
          accessor_did: 'did:plc:xyz789',
        },
      ],
    },
    moreParams: [{ limit: 1, cursor: 'AQEAAAAAZ5CpBAAAAAAAAAAAAAAE0vLDQBM' }],
    moreOutputs: [{ logs: [], cursor: 'AQEAAAAAZ5CpBAAAAAAAAAAAAAAE0vLDQBM' }],
    badParams: [{ limit: 0 }, { limit: 1001 }, { cursor: 42 }],
  },
  'account.delete': {
    input: { confirmation: 'DELETE_ALL_MY_DATA' },
    output: { keys: 5, groups: 2, memberships: 8, accessLogs: 1234 },
    badInputs: [{}, { confirmation: 'delete' }],
  },
  'group.getKey': {
    params: { group_id: group, version: 2 },
    output: {
      groupId: group,
      secretKey: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      version: 2,
    },
    badParams: [{}],
  },
  'group.rotateKey': {
    input: { group_id: group, reason: 'suspected_compromise' },
    output: { groupId: group, oldVersion: 1, newVersion: 2, rotatedAt: ts },
    badInputs: [{ reason: 'routine_rotation' }],
  },
  'group.listVersions': {
    params: { group_id: group },
    moreParams: [{ group_id: group, limit: 1, cursor: 'AQMAAAACERLXkA' }],
    output: { groupId: group, versions },
    moreOutputs: [{ groupId: group, versions: versions.slice(0, 1), cursor: 'AQMAAAACERLXkA' }],
    badParams: [{ group_id: group, limit: 0 }, { group_id: group, limit: 1001 }],
  },
  'group.addMember': {
    input: { group_id: group, member_did: 'did:plc:xyz789' },
    output: { groupId: group, memberDid: 'did:plc:xyz789', status: 'added' },
    badInputs: [{ group_id: group }, { group_id: group, member_did: 'xyz789' }],
  },
  'group.removeMember': {
    input: { group_id: group, member_did: 'did:plc:xyz789' },
    output: { groupId: group, memberDid: 'did:plc:xyz789', status: 'removed' },
    badOutputs: [{ groupId: group, memberDid: 'did:plc:xyz789', status: 'added' }],
  },
}

const otherDid = 'did:plc:xyz789'
const hex = (byte, bytes) => byte.repeat(bytes)
const signed = { keyId: 'spk-1', publicKey: hex('a1', 32), signature: hex('5e', 64) }
const lastResort = { keyId: 'lr-1', publicKey: hex('b2', 32), signature: hex('6f', 64) }
const oneTime = [{ keyId: 'otk-1', publicKey: hex('c3', 32) }, { keyId: 'otk-2', publicKey: hex('d4', 32) }]
const fingerprint = hex('0f', 16)
const bundle = {
  deviceId: 'phone',
  identityKey: hex('e5', 32),
  fingerprint,
  signedPreKey: signed,
  oneTimePreKey: oneTime[0],
  lastResortKey: null,
  remainingOneTimePreKeys: 41,
}
Object.assign(examples, {
  'device.register': {
    input: { deviceId: 'phone', deviceName: "Alice's phone", identityKey: hex('e5', 32), signedPreKey: signed, oneTimePreKeys: oneTime, lastResortKey: lastResort },
    moreInputs: [{ deviceId: 'phone', identityKey: hex('e5', 32), signedPreKey: signed, oneTimePreKeys: [] }],
    output: { deviceId: 'phone', fingerprint, oneTimePreKeyCount: 2, status: 'active', registeredAt: ts },
    badInputs: [
      { deviceId: 'phone', identityKey: hex('e5', 32), signedPreKey: signed },
      { deviceId: 'phone', identityKey: hex('e5', 31), signedPreKey: signed, oneTimePreKeys: [] },
      { deviceId: 'phone', identityKey: hex('e5', 32), signedPreKey: { keyId: 'x', publicKey: hex('a1', 32) }, oneTimePreKeys: [] },
      { deviceId: 'phone', identityKey: hex('e5', 32), signedPreKey: signed, oneTimePreKeys: Array(101).fill(oneTime[0]) },
      { deviceId: 'x'.repeat(65), identityKey: hex('e5', 32), signedPreKey: signed, oneTimePreKeys: [] },
    ],
    badOutputs: [{ deviceId: 'phone', fingerprint, oneTimePreKeyCount: 2, status: 'revoked', registeredAt: ts }],
  },
  'device.uploadPreKeys': {
    input: { deviceId: 'phone', signedPreKey: signed, oneTimePreKeys: oneTime, lastResortKey: lastResort },
    moreInputs: [{ deviceId: 'phone', oneTimePreKeys: oneTime }, { deviceId: 'phone' }],
    output: { deviceId: 'phone', signedPreKeyId: 'spk-1', oneTimePreKeyCount: 42, lastResortKeyId: 'lr-1' },
    moreOutputs: [{ deviceId: 'phone', signedPreKeyId: 'spk-1', oneTimePreKeyCount: 0 }],
    badInputs: [{ oneTimePreKeys: oneTime }, { deviceId: 'phone', oneTimePreKeys: Array(101).fill(oneTime[0]) }],
  },
  'device.claimBundles': {
    input: { did: otherDid },
    moreInputs: [{ did: otherDid, deviceId: 'phone' }],
    output: { did: otherDid, bundles: [bundle] },
    moreOutputs: [
      { did: otherDid, bundles: [{ ...bundle, oneTimePreKey: null, lastResortKey: lastResort, remainingOneTimePreKeys: 0 }] },
      { did: otherDid, bundles: [{ ...bundle, oneTimePreKey: null, remainingOneTimePreKeys: 0 }] },
    ],
    badInputs: [{}, { did: 'xyz789' }],
    badOutputs: [{ did: otherDid, bundles: [{ ...bundle, oneTimePreKey: undefined }] }],
  },
  'device.list': {
    params: { did: otherDid },
    moreParams: [{ did: otherDid, includeRevoked: true }],
    output: {
      devices: [
        { deviceId: 'phone', fingerprint, status: 'active', registeredAt: ts, lastRotatedAt: ts, oneTimePreKeyCount: 41, deviceName: "Alice's phone" },
        { deviceId: 'laptop', fingerprint, status: 'revoked', registeredAt: ts, revokedAt: ts, revokeReason: 'lost' },
      ],
    },
    badParams: [{}, { did: 'not-a-did' }],
    badOutputs: [{ devices: [{ deviceId: 'phone', status: 'active', registeredAt: ts }] }],
  },
  'device.revoke': {
    input: { deviceId: 'phone', reason: 'Lost on the train' },
    output: { deviceId: 'phone', status: 'revoked', revokedAt: ts, reason: 'Lost on the train' },
    badInputs: [{ deviceId: 'phone' }, { deviceId: 'phone', reason: '' }],
  },
})
examples['account.delete'].output = { keys: 5, groups: 2, memberships: 8, accessLogs: 1234, devices: 2, preKeys: 143 }
examples['accessLogs.getLogs'].output.logs.push({
  version: 2,
  accessed_at: ts,
  ip: '192.0.2.7',
  user_agent: 'app/1.0',
  key_type: 'device',
  device_id: 'phone',
  accessor_did: otherDid,
})

const methods = docs.filter((d) => ['query', 'procedure'].includes(d.defs.main?.type)).map((d) => d.id)
for (const id of methods) {
  if (!examples[id.slice(NS.length)]) {
    failures++
    console.log(`FAIL ${id}: no example values in validate.mjs`)
  }
}
for (const [name, ex] of Object.entries(examples)) {
  const id = NS + name
  if (!methods.includes(id)) {
    failures++
    console.log(`FAIL ${id}: example values for a method with no lexicon`)
    continue
  }
  if (ex.params) check(`${name} params`, () => lex.assertValidXrpcParams(id, ex.params))
  if (ex.input) check(`${name} input`, () => lex.assertValidXrpcInput(id, ex.input))
  for (const i of ex.moreInputs ?? []) check(`${name} input ${JSON.stringify(i)}`, () => lex.assertValidXrpcInput(id, i))
  for (const p of ex.moreParams ?? []) check(`${name} params ${JSON.stringify(p)}`, () => lex.assertValidXrpcParams(id, p))
  check(`${name} output`, () => lex.assertValidXrpcOutput(id, ex.output))
  for (const o of ex.moreOutputs ?? []) check(`${name} output ${JSON.stringify(o)}`, () => lex.assertValidXrpcOutput(id, o))
  for (const p of ex.badParams ?? []) checkRejected(`${name} params ${JSON.stringify(p)}`, () => lex.assertValidXrpcParams(id, p))
  for (const i of ex.badInputs ?? []) checkRejected(`${name} input ${JSON.stringify(i)}`, () => lex.assertValidXrpcInput(id, i))
  for (const o of ex.badOutputs ?? []) checkRejected(`${name} output ${JSON.stringify(o)}`, () => lex.assertValidXrpcOutput(id, o))
}

console.log(failures === 0 ? `\nall checks passed (${docs.length} documents, ${methods.length} methods)` : `\n${failures} check(s) failed`)
process.exit(failures === 0 ? 0 : 1)
