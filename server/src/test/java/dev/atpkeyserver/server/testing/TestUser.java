package dev.atpkeyserver.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.xrpc.client.ServiceTokenSupplier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A test user: a DID with a freshly generated atproto signing key, minting real service auth tokens
 * the way {@code @atproto/xrpc-server}'s {@code createServiceJwt} does.
 */
public final class TestUser {

  private static final Provider BC = new BouncyCastleProvider();

  private final String did;
  private final KeyCurve curve;
  private final KeyPair keyPair;

  private TestUser(String did, KeyCurve curve, KeyPair keyPair) {
    this.did = did;
    this.curve = curve;
    this.keyPair = keyPair;
  }

  /** A did:plc user with a secp256k1 key, the common case. */
  public static TestUser plc() {
    return plc(KeyCurve.SECP256K1);
  }

  /** A did:plc user with a key on {@code curve}. */
  public static TestUser plc(KeyCurve curve) {
    return new TestUser("did:plc:" + randomBase32(24), curve, generate(curve));
  }

  /** A user with the given DID and a key on {@code curve}. */
  public static TestUser withDid(String did, KeyCurve curve) {
    return new TestUser(did, curve, generate(curve));
  }

  /** The same DID with a new key (as after a signing-key rotation at the PLC directory). */
  public TestUser withNewKey(KeyCurve newCurve) {
    return new TestUser(did, newCurve, generate(newCurve));
  }

  public String did() {
    return did;
  }

  public KeyCurve curve() {
    return curve;
  }

  /** The public key as the DID document publishes it. */
  public AtprotoSigningKey signingKey() {
    byte[] compressed =
        ((org.bouncycastle.jce.interfaces.ECPublicKey) keyPair.getPublic()).getQ().getEncoded(true);
    return new AtprotoSigningKey(curve, compressed);
  }

  /** A valid token for calling {@code nsid} on the service {@code aud}, expiring in 60 s. */
  public String token(String aud, String nsid) {
    return tokenBuilder(aud, nsid).build();
  }

  /** Mints a fresh token for each method called on the service {@code aud}. */
  public ServiceTokenSupplier tokensFor(String aud) {
    return lxm -> token(aud, lxm);
  }

  /** A token builder pre-filled like {@code createServiceJwt}; tests spoil one field at a time. */
  public Token tokenBuilder(String aud, String nsid) {
    return new Token(this, aud, nsid);
  }

  /** A service auth token under construction. */
  public static final class Token {
    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> payload = new LinkedHashMap<>();
    private TestUser signer;

    private Token(TestUser user, String aud, String nsid) {
      this.signer = user;
      long now = Instant.now().getEpochSecond();
      header.put("typ", "JWT");
      header.put("alg", user.curve.jwsAlgorithm());
      payload.put("iat", now);
      payload.put("iss", user.did);
      payload.put("aud", aud);
      payload.put("exp", now + 60);
      payload.put("lxm", nsid);
      payload.put("jti", HexFormat.of().formatHex(randomBytes(16)));
    }

    /** Sets (or with {@code null}, removes) a header field. */
    public Token header(String name, Object value) {
      put(header, name, value);
      return this;
    }

    /** Sets (or with {@code null}, removes) a payload claim. */
    public Token claim(String name, Object value) {
      put(payload, name, value);
      return this;
    }

    /** Signs with another user's key (the header's {@code alg} is left as it is). */
    public Token signedBy(TestUser other) {
      this.signer = other;
      return this;
    }

    /** The compact JWT. */
    public String build() {
      String signingInput = base64Json(header) + "." + base64Json(payload);
      return signingInput + "." + signer.sign(signingInput).toString();
    }

    private static void put(Map<String, Object> map, String name, Object value) {
      if (value == null) {
        map.remove(name);
      } else {
        map.put(name, value);
      }
    }
  }

  /** The raw r‖s ECDSA signature over SHA-256 of {@code signingInput}, base64url. */
  Base64URL sign(String signingInput) {
    try {
      ECDSASigner signer = new ECDSASigner((ECPrivateKey) keyPair.getPrivate());
      signer.getJCAContext().setProvider(BC);
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.parse(curve.jwsAlgorithm()))
              .type(JOSEObjectType.JWT)
              .build();
      return signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Json(Map<String, Object> fields) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(field.getKey()).append("\":");
      Object value = field.getValue();
      json.append(
          value instanceof Number || value instanceof Boolean ? value : "\"" + value + "\"");
    }
    json.append('}');
    return Base64URL.encode(json.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static KeyPair generate(KeyCurve curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
      generator.initialize(
          new ECGenParameterSpec(curve == KeyCurve.SECP256K1 ? "secp256k1" : "secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomBase32(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  @Override
  public String toString() {
    return "TestUser[" + did + ", " + curve + "]";
  }
}
