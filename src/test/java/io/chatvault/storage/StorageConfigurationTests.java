package io.chatvault.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chatvault.cli.DoctorCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class StorageConfigurationTests {

	@TempDir
	Path home;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(StorageConfiguration.class);

	@Test
	void embeddedDefaultIsTwoDirectoriesUnderTheHome() {
		this.runner.withPropertyValues("chatvault.home=" + this.home).run((context) -> {
			// then
			ObjectStore store = context.getBean(ObjectStore.class);
			assertThat(store).isInstanceOf(ReplicatedObjectStore.class);
			ReplicatedObjectStore replicated = (ReplicatedObjectStore) store;
			assertThat(replicated.primary().name()).isEqualTo("file:" + this.home.resolve("objects"));
			assertThat(replicated.replica().name()).isEqualTo("file:" + this.home.resolve("replica"));
			assertThat(context.getBeansOfType(DoctorCheck.class).values()).extracting(DoctorCheck::name)
				.containsExactlyInAnyOrder("primary object store", "replica object store");
			assertThat(context.getBeansOfType(DoctorCheck.class).values())
				.allSatisfy((check) -> assertThat(check.check().ok()).isTrue());
		});
	}

	@Test
	void relativePathsResolveAgainstTheHome() {
		this.runner
			.withPropertyValues("chatvault.home=" + this.home, "chatvault.storage.primary.path=a",
					"chatvault.storage.replica.path=" + this.home.resolve("b"))
			.run((context) -> {
				ReplicatedObjectStore store = context.getBean(ReplicatedObjectStore.class);
				assertThat(store.primary().name()).isEqualTo("file:" + this.home.resolve("a"));
				assertThat(store.replica().name()).isEqualTo("file:" + this.home.resolve("b"));
			});
	}

	@Test
	void s3SettingsBind() {
		this.runner.withPropertyValues("chatvault.home=" + this.home, "chatvault.storage.replica.type=s3",
				"chatvault.storage.replica.bucket=archive-replica",
				"chatvault.storage.replica.endpoint=http://127.0.0.1:1", "chatvault.storage.replica.path-style=true",
				"chatvault.storage.replica.access-key=AK", "chatvault.storage.replica.secret-key=SK",
				"chatvault.storage.replica.lock-mode=governance", "chatvault.storage.replica.region=eu-west-1")
			.run((context) -> {
				StorageProperties.Store replica = context.getBean(StorageProperties.class).replica();
				assertThat(replica.type()).isEqualTo(StorageProperties.Type.S3);
				assertThat(replica.bucket()).isEqualTo("archive-replica");
				assertThat(replica.pathStyle()).isTrue();
				assertThat(replica.lockMode()).isEqualTo(WriteOptions.LockMode.GOVERNANCE);
				assertThat(replica.region()).isEqualTo("eu-west-1");
				assertThat(replica.toString()).doesNotContain("SK");
				ReplicatedObjectStore store = context.getBean(ReplicatedObjectStore.class);
				assertThat(store.replica().name()).isEqualTo("s3://archive-replica/");
			});
	}

	@Test
	void invalidS3SettingsAreRefusedWithTheirReasons() {
		this.runner
			.withPropertyValues("chatvault.home=" + this.home, "chatvault.storage.primary.type=s3",
					"chatvault.storage.primary.access-key=AK", "chatvault.storage.primary.endpoint=ftp://x")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).hasCauseInstanceOf(ConfigurationPropertiesBindException.class);
				String messages = rootMessage(failure);
				for (String expected : List.of("needs a bucket", "go together", "http or https")) {
					assertThat(messages).contains(expected);
				}
			});
	}

	@Test
	void doctorNamesADirectoryThatIsNotWritable() throws Exception {
		// given: the directory was replaced by a file after start
		FilesystemObjectStore store = new FilesystemObjectStore(this.home.resolve("objects"));
		Path root = store.root();
		try (var files = Files.list(root)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(root);
		Files.writeString(root, "not a directory");

		// when
		DoctorCheck.Finding finding = new ObjectStoreDoctorCheck("primary object store", "chatvault.storage.primary",
				store)
			.check();

		// then
		assertThat(finding.ok()).isFalse();
		assertThat(finding.detail()).startsWith("directory " + root + " is not writable");
		assertThat(finding.fix()).contains("chatvault.storage.primary.path");
	}

	private static String rootMessage(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable t = failure; t != null; t = t.getCause()) {
			messages.append(t.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
