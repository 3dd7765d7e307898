package dev.atpkeyserver.did;

import static dev.atpkeyserver.did.TestDocuments.bytes;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DidDocumentTest {

  private static final Did DID = TestDocuments.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz");

  @Test
  void extractsKeyHandleAndPdsFromACompleteDocument() throws MalformedDidDocumentException {
    DidDocument doc = DidDocument.parse(DID, bytes(TestDocuments.document(DID)));

    assertThat(doc.id(), equalTo(DID.toString()));
    assertThat(doc.did(), equalTo(DID));
    assertThat(
        doc.atprotoSigningKey().orElseThrow().toDidKey(), equalTo(TestDocuments.K256_DID_KEY));
    assertThat(doc.atprotoKeyProblem().isPresent(), is(false));
    assertThat(doc.handle().orElseThrow(), equalTo("alice.example.com"));
    assertThat(doc.pdsEndpoint().orElseThrow(), equalTo(URI.create(TestDocuments.PDS)));
    assertThat(doc.alsoKnownAs(), contains("at://alice.example.com"));
    assertThat(doc.toString(), containsString(TestDocuments.K256_DID_KEY));
  }

  @Test
  void decodesEveryKeyEncoding() throws MalformedDidDocumentException {
    String did = DID.toString();
    assertThat(
        keyOf(TestDocuments.document(did, "Multikey", TestDocuments.P256_MULTIKEY)),
        equalTo(TestDocuments.P256_DID_KEY));
    assertThat(
        keyOf(
            TestDocuments.document(
                did, "EcdsaSecp256k1VerificationKey2019", TestDocuments.K256_LEGACY)),
        equalTo(TestDocuments.K256_DID_KEY));
    assertThat(
        keyOf(
            TestDocuments.document(
                did, "EcdsaSecp256r1VerificationKey2019", TestDocuments.P256_LEGACY)),
        equalTo(TestDocuments.P256_DID_KEY));
  }

  @Test
  void findsTheKeyByRelativeOrAbsoluteId() throws MalformedDidDocumentException {
    String relative =
        """
        {"id": "%s", "verificationMethod": [
          {"id": "#other", "type": "Multikey", "controller": "x", "publicKeyMultibase": "%s"},
          {"id": "#atproto", "type": "Multikey", "controller": "x", "publicKeyMultibase": "%s"}]}
        """
            .formatted(DID, TestDocuments.P256_MULTIKEY, TestDocuments.K256_MULTIKEY);

    assertThat(keyOf(relative), equalTo(TestDocuments.K256_DID_KEY));
    // The absolute form <did>#atproto is what TestDocuments.document uses.
    assertThat(keyOf(TestDocuments.document(DID)), equalTo(TestDocuments.K256_DID_KEY));
  }

  @Test
  void ignoresAnAtprotoKeyOfAnotherDid() throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "verificationMethod": [
          {"id": "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa#atproto", "type": "Multikey",
           "controller": "x", "publicKeyMultibase": "%s"}]}
        """
            .formatted(DID, TestDocuments.K256_MULTIKEY);

    DidDocument doc = DidDocument.parse(DID, bytes(json));

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("no #atproto"));
  }

  @Test
  void usesOnlyTheFirstAtprotoEntryLikeTheOfficialResolver() throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "verificationMethod": [
          {"id": "#atproto", "type": "Multikey", "controller": "x", "publicKeyMultibase": "zBad"},
          {"id": "#atproto", "type": "Multikey", "controller": "x", "publicKeyMultibase": "%s"}]}
        """
            .formatted(DID, TestDocuments.K256_MULTIKEY);

    DidDocument doc = DidDocument.parse(DID, bytes(json));

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("unusable"));
  }

  @Test
  void reportsAMissingAtprotoKeyWithoutFailing() throws MalformedDidDocumentException {
    DidDocument doc = DidDocument.parse(DID, bytes("{\"id\": \"" + DID + "\"}"));

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(
        doc.atprotoKeyProblem().orElseThrow(),
        equalTo("DID document has no #atproto verification method"));
    assertThat(doc.handle().isPresent(), is(false));
    assertThat(doc.pdsEndpoint().isPresent(), is(false));
    assertThat(doc.alsoKnownAs().isEmpty(), is(true));
  }

  @Test
  void reportsAnAtprotoKeyWithoutMultibase() throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "verificationMethod": [
          {"id": "#atproto", "type": "Multikey", "controller": "x", "publicKeyJwk": {}}]}
        """
            .formatted(DID);

    DidDocument doc = DidDocument.parse(DID, bytes(json));

    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("no publicKeyMultibase"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJw", // truncated
        "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", // ed25519
        "not-multibase"
      })
  void reportsAnUndecodableKeyWithoutFailing(String multibase)
      throws MalformedDidDocumentException {
    DidDocument doc =
        DidDocument.parse(
            DID, bytes(TestDocuments.document(DID.toString(), "Multikey", multibase)));

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("#atproto key is unusable"));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), not(containsString(multibase)));
    // The rest of the document is still usable.
    assertThat(doc.handle().orElseThrow(), equalTo("alice.example.com"));
  }

  @Test
  void reportsAnUnsupportedKeyType() throws MalformedDidDocumentException {
    DidDocument doc =
        DidDocument.parse(
            DID,
            bytes(
                TestDocuments.document(
                    DID.toString(), "Ed25519VerificationKey2020", TestDocuments.K256_MULTIKEY)));

    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("unsupported type"));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), not(containsString("Ed25519")));
  }

  @Test
  void pdsNeedsTheRightTypeAndAnHttpUrl() throws MalformedDidDocumentException {
    assertThat(
        pdsOf("#atproto_pds", "AtprotoPersonalDataServer", "\"https://pds.example\""),
        equalTo("https://pds.example"));
    assertThat(
        pdsOf(DID + "#atproto_pds", "AtprotoPersonalDataServer", "\"http://localhost:2583\""),
        equalTo("http://localhost:2583"));
    assertThat(pdsOf("#atproto_pds", "SomethingElse", "\"https://pds.example\""), equalTo(null));
    assertThat(
        pdsOf("#atproto_pds", "AtprotoPersonalDataServer", "\"ftp://pds.example\""), equalTo(null));
    assertThat(pdsOf("#atproto_pds", "AtprotoPersonalDataServer", "\"not a url\""), equalTo(null));
    assertThat(
        pdsOf("#atproto_pds", "AtprotoPersonalDataServer", "{\"uri\": \"https://x\"}"),
        equalTo(null));
    assertThat(
        pdsOf("#other", "AtprotoPersonalDataServer", "\"https://pds.example\""), equalTo(null));
  }

  @Test
  void handleIsTheFirstAtUriWithoutItsPrefix() throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "alsoKnownAs": ["https://example.com", "at://first.example", "at://second.example"]}
        """
            .formatted(DID);

    assertThat(
        DidDocument.parse(DID, bytes(json)).handle().orElseThrow(), equalTo("first.example"));
  }

  @Test
  void acceptsUnknownMembersAndObjectServiceEndpoints() throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "@context": "https://www.w3.org/ns/did/v1", "controller": ["x"],
         "service": [{"id": "#x", "type": "Y", "serviceEndpoint": {"a": 1}}],
         "extra": {"nested": [1, 2, 3]}}
        """
            .formatted(DID);

    assertThat(DidDocument.parse(DID, bytes(json)).id(), equalTo(DID.toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "\"did\"",
        "{\"id\": \"DID\"",
        "{\"id\": \"DID\"} trailing",
        "{}",
        "{\"id\": 42}",
        "{\"id\": null}",
        "{\"id\": \"did:plc:aaaaaaaaaaaaaaaaaaaaaaaa\"}",
        "{\"id\": \"DID \"}",
        "{\"id\": \"DID\", \"alsoKnownAs\": \"at://x\"}",
        "{\"id\": \"DID\", \"alsoKnownAs\": [1]}",
        "{\"id\": \"DID\", \"@context\": 1}",
        "{\"id\": \"DID\", \"@context\": [1]}",
        "{\"id\": \"DID\", \"verificationMethod\": {}}",
        "{\"id\": \"DID\", \"verificationMethod\": [\"#atproto\"]}",
        "{\"id\": \"DID\", \"verificationMethod\": [{\"type\": \"Multikey\", \"controller\": \"x\"}]}",
        "{\"id\": \"DID\", \"verificationMethod\": [{\"id\": \"#a\", \"controller\": \"x\"}]}",
        "{\"id\": \"DID\", \"verificationMethod\": [{\"id\": \"#a\", \"type\": \"Multikey\"}]}",
        "{\"id\": \"DID\", \"verificationMethod\": [{\"id\": \"#a\", \"type\": \"Multikey\", \"controller\": 1}]}",
        "{\"id\": \"DID\", \"verificationMethod\": [{\"id\": \"#a\", \"type\": \"M\", \"controller\": \"x\", \"publicKeyMultibase\": 5}]}",
        "{\"id\": \"DID\", \"service\": [{\"id\": \"#a\", \"type\": \"T\"}]}",
        "{\"id\": \"DID\", \"service\": [{\"id\": \"#a\", \"type\": \"T\", \"serviceEndpoint\": 5}]}",
        "{\"id\": \"DID\", \"service\": [{\"type\": \"T\", \"serviceEndpoint\": \"https://x\"}]}",
        "{\"id\": \"DID\", \"service\": {}}"
      })
  void refusesDocumentsThatAreNotValidForTheDid(String template) {
    byte[] json = bytes(template.replace("DID", DID.toString()));

    assertThrows(MalformedDidDocumentException.class, () -> DidDocument.parse(DID, json));
  }

  @Test
  void idMismatchMessageNamesTheRequestedDidOnly() {
    byte[] json = bytes("{\"id\": \"did:web:attacker.example\"}");

    MalformedDidDocumentException e =
        assertThrows(MalformedDidDocumentException.class, () -> DidDocument.parse(DID, json));

    assertThat(e.getMessage(), containsString(DID.toString()));
    assertThat(e.getMessage(), not(containsString("attacker")));
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] json = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};

    assertThrows(MalformedDidDocumentException.class, () -> DidDocument.parse(DID, json));
  }

  private static String keyOf(String json) throws MalformedDidDocumentException {
    return DidDocument.parse(DID, bytes(json)).atprotoSigningKey().orElseThrow().toDidKey();
  }

  private static String pdsOf(String id, String type, String endpointJson)
      throws MalformedDidDocumentException {
    String json =
        """
        {"id": "%s", "service": [{"id": "%s", "type": "%s", "serviceEndpoint": %s}]}
        """
            .formatted(DID, id, type, endpointJson);
    return DidDocument.parse(DID, bytes(json)).pdsEndpoint().map(URI::toString).orElse(null);
  }
}
