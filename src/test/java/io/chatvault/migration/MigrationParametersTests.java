package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.chatvault.source.SourceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MigrationParametersTests {

	@TempDir
	Path dir;

	@Test
	void theSourceBecomesItsAbsoluteRealPathSoThatTwoNamesAreOneRun() throws IOException {
		// given
		Path export = Files.writeString(this.dir.resolve("chat.txt"), "x");
		Path link = Files.createSymbolicLink(this.dir.resolve("link.txt"), export);

		// when
		MigrationParameters viaLink = MigrationParametersValidator.normalize(Map.of("source", link.toString()));
		MigrationParameters direct = MigrationParametersValidator
			.normalize(Map.of("source", this.dir.resolve("./chat.txt").toString()));

		// then
		assertThat(viaLink.source()).isEqualTo(export.toRealPath()).isEqualTo(direct.source());
		assertThat(viaLink.toJobParameters()).isEqualTo(direct.toJobParameters());
	}

	@Test
	void formatAutoNamesTheSameRunAsNoFormat() throws IOException {
		// given
		Path export = Files.writeString(this.dir.resolve("chat.txt"), "x");

		// when
		MigrationParameters auto = MigrationParametersValidator
			.normalize(Map.of("source", export.toString(), "format", "auto"));
		MigrationParameters slack = MigrationParametersValidator
			.normalize(Map.of("source", export.toString(), "format", "Slack", "zone", "Europe/Berlin"));

		// then
		assertThat(auto.toJobParameters())
			.isEqualTo(MigrationParametersValidator.normalize(Map.of("source", export.toString())).toJobParameters());
		assertThat(slack.format()).contains(SourceFormat.SLACK);
		assertThat(slack.zone()).contains(ZoneId.of("Europe/Berlin"));
		assertThat(MigrationParameters.of(slack.toJobParameters())).isEqualTo(slack);
		assertThat(auto.custodian()).isEqualTo(Optional.empty());
	}

	@Test
	void operatorMistakesAreOneLineEach() throws IOException {
		Path export = Files.writeString(this.dir.resolve("chat.txt"), "x");
		String source = export.toString();
		assertThatIllegalArgumentException().isThrownBy(() -> MigrationParametersValidator.normalize(Map.of()))
			.withMessageStartingWith("missing parameter source=");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationParametersValidator.normalize(Map.of("source", source + ".missing")))
			.withMessageEndingWith("does not exist");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationParametersValidator.normalize(Map.of("source", source, "zone", "CEST+1")))
			.withMessageStartingWith("unknown zone CEST+1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationParametersValidator.normalize(Map.of("source", source, "format", "icq")))
			.withMessageContaining("expected auto or one of whatsapp, slack, teams, whatsapp-cloud");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationParametersValidator.normalize(Map.of("source", source, "custodian", " ")))
			.withMessageStartingWith("custodian= is empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MigrationParametersValidator.normalize(Map.of("source", source, "path", source)))
			.withMessageStartingWith("unknown parameter(s) path for job migration");
	}

	@Test
	void reconciliationSaysWhetherItBalances() {
		assertThat(new Reconciliation(10, 7, 2, 1, 0).describe())
			.isEqualTo("read 10 = archived 7 + duplicates 2 + quarantined 1");
		assertThat(new Reconciliation(10, 7, 2, 0, 0).balanced()).isFalse();
		assertThat(new Reconciliation(10, 7, 2, 0, 0).describe()).startsWith("read 10 != ");
	}

	@Test
	void partitionNamesAreSafeAndKeepBothEndsOfLongExportNames() {
		assertThat(ExportPartitioner.partitionName(3, "alice/WhatsApp Chat with Ravi Patel.txt"))
			.isEqualTo("export0003-alice_WhatsApp_Chat_with_Ravi_Patel.txt");
		assertThat(ExportPartitioner.partitionName(1, "Northwind Slack export Mar 11 2024 - Mar 13 2024.zip"))
			.isEqualTo("export0001-Northwind_Slack_expo~r_11_2024_-_Mar_13_2024.zip");
	}

}
