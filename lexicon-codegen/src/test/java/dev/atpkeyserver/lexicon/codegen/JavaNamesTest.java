package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.lexicon.codegen.emit.JavaNames;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JavaNamesTest {

  @Test
  void camelCasesWireNames() {
    assertThat(JavaNames.memberName("group_id"), is(Optional.of("groupId")));
    assertThat(JavaNames.memberName("created_at"), is(Optional.of("createdAt")));
    assertThat(JavaNames.memberName("publicKey"), is(Optional.of("publicKey")));
    assertThat(JavaNames.memberName("user-agent"), is(Optional.of("userAgent")));
    assertThat(JavaNames.memberName("$type"), is(Optional.of("type")));
  }

  @Test
  void escapesKeywordsAndObjectMethodNames() {
    assertThat(JavaNames.memberName("default"), is(Optional.of("default_")));
    assertThat(JavaNames.memberName("class"), is(Optional.of("class_")));
    assertThat(JavaNames.memberName("hash-code"), is(Optional.of("hashCode_")));
    assertThat(JavaNames.memberName("toString"), is(Optional.of("toString_")));
  }

  @Test
  void refusesNamesThatCannotBeIdentifiers() {
    assertThat(JavaNames.memberName("1st"), is(Optional.empty()));
    assertThat(JavaNames.memberName("--"), is(Optional.empty()));
  }

  @Test
  void makesTypeAndConstantNames() {
    assertThat(JavaNames.typeName("keyVersion"), is(Optional.of("KeyVersion")));
    assertThat(JavaNames.typeName("default"), is(Optional.of("Default")));
    assertThat(JavaNames.constantName("groupId"), is("GROUP_ID"));
    assertThat(JavaNames.constantName("accessLogs"), is("ACCESS_LOGS"));
    assertThat(JavaNames.constantName("default_"), is("DEFAULT_"));
    assertThat(JavaNames.constantName("did"), is("DID"));
  }

  @Test
  void mapsNsidsToPackagesClassesAndHandlers() {
    String nsid = "dev.atpkeyserver.alpha.keypair.getPublicKey";
    assertThat(
        JavaNames.packageName("dev.atpkeyserver.lexicon", nsid),
        is("dev.atpkeyserver.lexicon.alpha.keypair"));
    assertThat(JavaNames.className(nsid), is(Optional.of("GetPublicKey")));
    assertThat(JavaNames.handlerName(nsid), is(Optional.of("keypairGetPublicKey")));
    assertThat(
        JavaNames.handlerName("dev.atpkeyserver.alpha.accessLogs.getLogs"),
        is(Optional.of("accessLogsGetLogs")));
    assertThat(
        JavaNames.packageName("dev.atpkeyserver.lexicon", "dev.atpkeyserver.alpha.defs"),
        is("dev.atpkeyserver.lexicon.alpha"));
    assertThat(JavaNames.handlerName("a.b.c"), is(Optional.of("c")));
    assertThat(JavaNames.packageName("p", "a.b.c"), is("p"));
  }

  @Test
  void makesPackageSegmentsFromAnyNsidDomainSegment() {
    assertThat(
        JavaNames.packageName("p", "com.example.my-ns.2nd.int.getThing"), is("p.my_ns._2nd.int_"));
  }
}
