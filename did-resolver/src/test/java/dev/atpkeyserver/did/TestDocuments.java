package dev.atpkeyserver.did;

import java.nio.charset.StandardCharsets;

/**
 * DIDs, keys and DID documents for tests. The keys are the interop signature fixtures, in both
 * encodings (signature-fixtures.json).
 */
final class TestDocuments {

  static final String K256_DID_KEY = "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc";
  static final String K256_MULTIKEY = K256_DID_KEY.substring("did:key:".length());
  static final String K256_LEGACY = "z25z9DTpsiYYJKGsWmSPJK2NFN8PcJtZig12K59UgW7q5t";

  static final String P256_DID_KEY = "did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo";
  static final String P256_MULTIKEY = P256_DID_KEY.substring("did:key:".length());
  static final String P256_LEGACY = "zxdM8dSstjrpZaRUwBmDvjGXweKuEMVN95A9oJBFjkWMh";

  /** A second secp256k1 key (W3C vector), for "the key changed" tests. */
  static final String OTHER_K256_DID_KEY =
      "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";

  static final String PDS = "https://pds.example.com";

  private TestDocuments() {}

  /** A distinct valid did:plc per number: 24 letters, base 26. */
  static Did plcDid(int number) {
    char[] chars = "aaaaaaaaaaaaaaaaaaaaaaaa".toCharArray();
    int rest = number;
    for (int i = chars.length - 1; rest > 0; i--) {
      chars[i] = (char) ('a' + rest % 26);
      rest /= 26;
    }
    return parse("did:plc:" + new String(chars));
  }

  static Did parse(String did) {
    try {
      return Did.parse(did);
    } catch (MalformedDidException e) {
      throw new AssertionError(e);
    }
  }

  /** A complete atproto document: handle, PDS and an #atproto key of the given type. */
  static String document(String did, String keyType, String publicKeyMultibase) {
    return """
        {
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
          "id": "%1$s",
          "alsoKnownAs": ["at://alice.example.com"],
          "verificationMethod": [
            {"id": "%1$s#atproto", "type": "%2$s", "controller": "%1$s",
             "publicKeyMultibase": "%3$s"}
          ],
          "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
             "serviceEndpoint": "%4$s"}
          ]
        }
        """
        .formatted(did, keyType, publicKeyMultibase, PDS);
  }

  /** A Multikey secp256k1 document. */
  static String document(Did did) {
    return document(did.toString(), "Multikey", K256_MULTIKEY);
  }

  /** A Multikey document with the given did:key. */
  static String documentWithDidKey(Did did, String didKey) {
    return document(did.toString(), "Multikey", didKey.substring("did:key:".length()));
  }

  static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
