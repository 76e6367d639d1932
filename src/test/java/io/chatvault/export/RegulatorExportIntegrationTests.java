package io.chatvault.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.chatvault.access.AccessFixture;
import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.search.SearchFixture;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regulator exports of a migrated archive (several scripts, a WhatsApp zip with media):
 * every RSMF manifest validates against Relativity's published 2.0.0 schema, parsing the
 * RSMF files back gives every record and attachment, files split at the event limit, the
 * manifest's SHA-256 match every file, and exports are authorized, limited to the grant,
 * audited and, on request, encrypted to an OpenPGP key.
 */
class RegulatorExportIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path home;

	@TempDir
	static Path exports;

	@TempDir
	Path out;

	static SearchFixture fixture;

	static Map<String, String> mediaSha256 = new HashMap<>();

	@BeforeAll
	static void archive() throws IOException {
		fixture = new SearchFixture(home, exports, "chatvault.export.rsmf-max-events=5");
		Path carol = exports.resolve("carol");
		Files.createDirectories(carol);
		fixture.access.custodian("carol", "desk");
		byte[] photo = "PNG-ish bytes of a contract photo".repeat(100).getBytes(StandardCharsets.UTF_8);
		byte[] pdf = "%PDF-1.4 signed contract".repeat(300).getBytes(StandardCharsets.UTF_8);
		mediaSha256.put("IMG-20240312-WA0001.jpg", Sha256.hex(photo));
		mediaSha256.put("contract-final.pdf", Sha256.hex(pdf));
		try (ZipOutputStream zip = new ZipOutputStream(
				Files.newOutputStream(carol.resolve("WhatsApp Chat with Site Team.zip")))) {
			zip.putNextEntry(new ZipEntry("_chat.txt"));
			zip.write(("""
					12/03/2024, 10:00 - Carol Diaz: here is the photo of the contract
					12/03/2024, 10:01 - Carol Diaz: IMG-20240312-WA0001.jpg (file attached)
					12/03/2024, 10:02 - Ravi Patel: contract-final.pdf (file attached)
					12/03/2024, 10:03 - Ravi Patel: thanks, signed
					""").getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry("IMG-20240312-WA0001.jpg"));
			zip.write(photo);
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry("contract-final.pdf"));
			zip.write(pdf);
			zip.closeEntry();
		}
		AccessFixture.Cli run = fixture.access.cli(null, "migrate", carol.toString(), "custodian=carol", "zone=UTC");
		assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.COMPLETED);
	}

	@AfterAll
	static void close() {
		fixture.close();
	}

	@Test
	void theSchemaCatchesWhatItRequiresAndThePublishedSampleParses() throws IOException {
		// Relativity's own Sample1 lacks the participant id its schema requires: the
		// validator catches it
		assertThat(errors(resource("sample1_rsmf_manifest.json"))).anyMatch((e) -> e.contains("id"));
		RsmfFile sample = RsmfFile.parse(resource("sample3.rsmf"));
		assertThat(sample.headers()).containsEntry("x-rsmf-version", "2.0.0");
		assertThat(sample.zipEntries()).containsKey("rsmf_manifest.json");
		assertThat(errors("{\"version\":\"2.0.0\",\"participants\":[]}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
	}

	@Test
	void scopeExportRoundTripsEveryRecordAndAttachmentThroughValidRsmf() throws IOException {
		// given
		Path target = this.out.resolve("all");
		Set<String> archived = new TreeSet<>(
				fixture.access.jdbc.queryForList("SELECT encode(message_id, 'hex') FROM vault_message", String.class));

		// when
		AccessFixture.Cli export = fixture.access.cli(fixture.compliance, "export", target.toString(), "--json");

		// then
		assertThat(export.code()).as(export.out() + export.err()).isEqualTo(ExitCode.COMPLETED);
		Set<String> events = new TreeSet<>();
		Map<String, String> attachments = new HashMap<>();
		List<Path> rsmfFiles = files(target, ".rsmf");
		for (Path file : rsmfFiles) {
			RsmfFile rsmf = RsmfFile.parse(Files.readAllBytes(file));
			byte[] manifest = rsmf.zipEntries().get("rsmf_manifest.json");
			assertThat(errors(manifest)).as(file.toString()).isEmpty();
			JsonNode json = JSON.readTree(manifest);
			assertThat(rsmf.headers()).containsEntry("x-rsmf-version", "2.0.0")
				.containsEntry("x-rsmf-eventcount", Integer.toString(json.get("events").size()));
			assertThat(json.get("events").size()).isBetween(1, 5);
			for (JsonNode event : json.get("events")) {
				for (JsonNode custom : event.path("custom")) {
					if (custom.get("name").asString().equals("chatvault_message_id")) {
						assertThat(events.add(custom.get("value").asString())).isTrue();
					}
				}
				for (JsonNode attachment : event.path("attachments")) {
					byte[] bytes = rsmf.zipEntries().get(attachment.get("id").asString());
					assertThat(bytes).as(attachment.toString()).isNotNull();
					attachments.put(attachment.get("display").asString(), Sha256.hex(bytes));
				}
			}
		}
		assertThat(events).isEqualTo(archived);
		assertThat(attachments).isEqualTo(mediaSha256);
		// alice's 14 records in files of at most 5 events
		assertThat(rsmfFiles).filteredOn((p) -> p.getFileName().toString().startsWith("alice_")).hasSize(3);
		assertThat(files(target, ".eml")).hasSize(archived.size());
		assertThat(loadFile(Files.newBufferedReader(target.resolve("loadfile.csv")))).hasSize(archived.size());
		assertThat(files(target.resolve("media"), "")).hasSize(2);
		assertManifestMatchesEveryFile(target);
	}

	@Test
	void searchExportHoldsTheHitsOnlyAndIsAuditedWithoutTheTerm() throws IOException {
		// given
		long before = fixture.access.lastSequence();
		Path target = this.out.resolve("hits");

		// when
		AccessFixture.Cli export = fixture.access.cli(fixture.compliance, "export", target.toString(), "--query",
				"合同 OR contract", "--from", "2024-01-01", "--to", "2025-01-01");
		AccessFixture.Cli bobs = fixture.access.cli(fixture.bobEmployee, "export", this.out.resolve("bob").toString());

		// then
		assertThat(export.code()).as(export.out() + export.err()).isEqualTo(ExitCode.COMPLETED);
		List<CSVRecord> rows = loadFile(Files.newBufferedReader(target.resolve("loadfile.csv")));
		assertThat(rows).extracting((row) -> row.get("body"))
			// the last: the message whose attachment is contract-final.pdf
			.containsExactlyInAnyOrder("我们明天签合同", "CONTRACT renewal is due", "here is the photo of the contract", "");
		assertThat(bobs.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		List<AuditEvent> entries = fixture.access.entriesAfter(before, "content.export");
		assertThat(entries).anySatisfy((entry) -> {
			assertThat(entry.outcome()).isEqualTo("success");
			assertThat(String.valueOf(entry.details().get("records"))).isEqualTo("4");
			assertThat(String.valueOf(entry.details().get("query"))).startsWith("export (t:")
				.doesNotContain("合同")
				.doesNotContain("contract");
		});
		assertManifestMatchesEveryFile(target);
	}

	@Test
	void encryptedExportOpensWithTheRecipientsPrivateKeyOnly() throws Exception {
		// given
		KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
		rsa.initialize(2048);
		PGPKeyPair encryption = new JcaPGPKeyPair(PGPPublicKey.RSA_GENERAL, rsa.generateKeyPair(), new Date());
		PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, encryption,
				"regulator@example.org",
				new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1), null, null,
				new JcaPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256),
				new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).build("pw".toCharArray()));
		Path key = this.out.resolve("regulator.asc");
		try (OutputStream armored = new ArmoredOutputStream(Files.newOutputStream(key))) {
			rings.generatePublicKeyRing().encode(armored);
		}
		Path target = this.out.resolve("encrypted");

		// when
		AccessFixture.Cli export = fixture.access.cli(fixture.compliance, "export", target.toString(), "--custodian",
				"bob", "--recipient-key", key.toString());

		// then
		assertThat(export.code()).as(export.out() + export.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(files(target, ""))
			.allMatch((p) -> p.toString().endsWith(".pgp") || p.getFileName().toString().startsWith("manifest."));
		byte[] csv = decrypt(Files.readAllBytes(target.resolve("loadfile.csv.pgp")), encryption.getPrivateKey());
		assertThat(loadFile(new java.io.StringReader(new String(csv, StandardCharsets.UTF_8))))
			.extracting((row) -> row.get("custodian"))
			.containsOnly("bob")
			.hasSize(SearchFixture.BOB_2025.size());
		assertThat(new String(Files.readAllBytes(target.resolve("loadfile.csv.pgp")), StandardCharsets.ISO_8859_1))
			.doesNotContain("Northwind");
		JsonNode manifest = JSON.readTree(Files.readAllBytes(target.resolve("manifest.json")));
		for (JsonNode file : manifest.get("files")) {
			if (file.get("path").asString().equals("loadfile.csv.pgp")) {
				assertThat(file.get("plainSha256").asString()).isEqualTo(Sha256.hex(csv));
			}
		}
		assertManifestMatchesEveryFile(target);
	}

	private static byte[] decrypt(byte[] encrypted, PGPPrivateKey key) throws Exception {
		JcaPGPObjectFactory factory = new JcaPGPObjectFactory(
				PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(encrypted)));
		PGPEncryptedDataList list = (PGPEncryptedDataList) factory.nextObject();
		PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
		InputStream clear = data.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder().build(key));
		PGPLiteralData literal = (PGPLiteralData) new JcaPGPObjectFactory(clear).nextObject();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		literal.getInputStream().transferTo(bytes);
		assertThat(data.verify()).isTrue();
		return bytes.toByteArray();
	}

	private static void assertManifestMatchesEveryFile(Path target) throws IOException {
		JsonNode manifest = JSON.readTree(Files.readAllBytes(target.resolve("manifest.json")));
		Set<String> listed = new HashSet<>();
		for (JsonNode file : manifest.get("files")) {
			Path path = target.resolve(file.get("path").asString());
			assertThat(Sha256.hex(Files.readAllBytes(path))).as(path.toString())
				.isEqualTo(file.get("sha256").asString());
			assertThat(Files.size(path)).isEqualTo(file.get("size").asLong());
			listed.add(file.get("path").asString());
		}
		Set<String> present = new HashSet<>();
		for (Path file : files(target, "")) {
			String relative = target.relativize(file).toString().replace('\\', '/');
			if (!relative.startsWith("manifest.")) {
				present.add(relative);
			}
		}
		assertThat(listed).isEqualTo(present);
		String sums = Files.readString(target.resolve("manifest.sha256"));
		assertThat(sums.lines()).hasSize(listed.size());
	}

	private static List<CSVRecord> loadFile(Reader reader) throws IOException {
		try (Reader in = reader) {
			return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
		}
	}

	private static List<Path> files(Path root, String suffix) throws IOException {
		try (Stream<Path> walk = Files.walk(root)) {
			return new ArrayList<>(walk.filter(Files::isRegularFile)
				.filter((p) -> p.getFileName().toString().endsWith(suffix))
				.sorted()
				.toList());
		}
	}

	private static List<String> errors(byte[] manifest) throws IOException {
		Schema schema;
		try (InputStream in = RegulatorExportIntegrationTests.class
			.getResourceAsStream("/rsmf/rsmf_schema_2_0_0.json")) {
			schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
		}
		return schema.validate(new String(manifest, StandardCharsets.UTF_8), InputFormat.JSON)
			.stream()
			.map(Object::toString)
			.toList();
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = RegulatorExportIntegrationTests.class.getResourceAsStream("/rsmf/" + name)) {
			return in.readAllBytes();
		}
	}

}
