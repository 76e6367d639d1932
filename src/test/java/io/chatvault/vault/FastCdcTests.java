package io.chatvault.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.chatvault.message.Sha256;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FastCdcTests {

	private final FastCdc chunker = new FastCdc(2048, 8192, 32768);

	@Test
	void chunksCoverTheInputWithinTheSizeBoundsWhateverTheReadSizes() throws IOException {
		// given
		byte[] data = random(1_000_000, 1);

		// when
		List<byte[]> whole = chunks(new ByteArrayInputStream(data));
		List<byte[]> trickled = chunks(new TrickleInputStream(data));

		// then
		assertThat(concat(whole)).isEqualTo(data);
		assertThat(hashes(trickled)).isEqualTo(hashes(whole));
		for (int i = 0; i < whole.size() - 1; i++) {
			assertThat(whole.get(i).length).isBetween(2048, 32768);
		}
		double average = (double) data.length / whole.size();
		assertThat(average).isBetween(4096.0, 16384.0);
	}

	@Test
	void anInsertionChangesOnlyTheChunksAroundIt() throws IOException {
		// given
		byte[] data = random(2_000_000, 2);
		byte[] edited = new byte[data.length + 100];
		System.arraycopy(data, 0, edited, 0, 1_000_000);
		System.arraycopy(random(100, 3), 0, edited, 1_000_000, 100);
		System.arraycopy(data, 1_000_000, edited, 1_000_100, data.length - 1_000_000);

		// when
		Set<String> before = new HashSet<>(hashes(chunks(new ByteArrayInputStream(data))));
		List<String> after = hashes(chunks(new ByteArrayInputStream(edited)));

		// then
		long fresh = after.stream().filter((hash) -> !before.contains(hash)).count();
		assertThat(fresh).isBetween(1L, 3L);
	}

	@Test
	void theSameBytesAlwaysCutTheSameWay() throws IOException {
		// given: appending keeps every cut before the old end but the last
		byte[] data = random(500_000, 4);
		byte[] longer = new byte[600_000];
		System.arraycopy(data, 0, longer, 0, data.length);
		System.arraycopy(random(100_000, 5), 0, longer, data.length, 100_000);

		// when
		List<String> first = hashes(chunks(new ByteArrayInputStream(data)));
		List<String> second = hashes(chunks(new ByteArrayInputStream(longer)));

		// then
		assertThat(second.subList(0, first.size() - 1)).isEqualTo(first.subList(0, first.size() - 1));
	}

	@Test
	void anEmptyStreamHasNoChunks() throws IOException {
		assertThat(chunks(new ByteArrayInputStream(new byte[0]))).isEmpty();
	}

	private List<byte[]> chunks(InputStream in) throws IOException {
		FastCdc.Chunks chunks = this.chunker.chunks(in);
		List<byte[]> all = new ArrayList<>();
		byte[] chunk;
		while ((chunk = chunks.next()) != null) {
			all.add(chunk);
		}
		return all;
	}

	private static List<String> hashes(List<byte[]> chunks) {
		return chunks.stream().map(Sha256::hex).toList();
	}

	private static byte[] concat(List<byte[]> chunks) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		chunks.forEach(out::writeBytes);
		return out.toByteArray();
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** Hands out a few bytes per read, as a zip entry or a socket may. */
	private static final class TrickleInputStream extends ByteArrayInputStream {

		TrickleInputStream(byte[] bytes) {
			super(bytes);
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) {
			return super.read(b, off, Math.min(len, 777));
		}

	}

}
