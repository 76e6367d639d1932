package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Media files of a given size for tests: random (incompressible) or repetitive text. */
final class MediaFiles {

	private MediaFiles() {
	}

	static Path write(Path directory, String name, long size, boolean compressible, long seed) throws IOException {
		Path file = directory.resolve(name);
		Random random = new Random(seed);
		byte[] block = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(file)) {
			for (long written = 0; written < size; written += block.length) {
				if (compressible) {
					byte[] line = ("line " + random.nextInt(1000) + " of the minutes\n")
						.getBytes(StandardCharsets.UTF_8);
					for (int i = 0; i < block.length; i++) {
						block[i] = line[i % line.length];
					}
				}
				else {
					random.nextBytes(block);
				}
				out.write(block, 0, (int) Math.min(block.length, size - written));
			}
		}
		return file;
	}

	static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return sha256(in);
		}
	}

	static String sha256(InputStream in) throws IOException {
		MessageDigest digest = Sha256.digest();
		try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
			digesting.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** Deletes a test directory, read-only objects included. */
	static void deleteRecursively(Path directory) throws IOException {
		try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				path.toFile().setWritable(true);
				Files.deleteIfExists(path);
			}
		}
	}

}
