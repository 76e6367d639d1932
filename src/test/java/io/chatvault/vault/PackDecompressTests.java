package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import com.github.luben.zstd.ZstdDecompressCtx;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Pack#decompress(ZstdDecompressCtx, byte[], int, String)}, the check's
 * decompression with one context for many blocks, against the one-context-a-block
 * {@link Pack#decompress(byte[], int, String)}: the same bytes for every block, the same
 * refusal of a damaged or wrong-length block, and a damaged block does not spoil the
 * context for the next.
 */
class PackDecompressTests {

	@Test
	void oneContextForManyBlocksGivesWhatANewContextABlockGives() {
		// given
		Random random = new Random(11);
		try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
			for (int i = 0; i < 200; i++) {
				byte[] plain = text(random, 256 + random.nextInt(40_000));
				byte[] compressed = Pack.compress(plain, 3, 0);
				assertThat(compressed).isNotNull();

				// when
				byte[] reused = Pack.decompress(context, compressed, plain.length, "block " + i);

				// then
				assertThat(reused).isEqualTo(plain).isEqualTo(Pack.decompress(compressed, plain.length, "block " + i));
			}
		}
	}

	@Test
	void aDamagedOrMislabelledBlockIsRefusedAsBeforeAndTheContextStillServesTheNext() {
		// given
		Random random = new Random(12);
		byte[] plain = text(random, 20_000);
		byte[] compressed = Pack.compress(plain, 3, 0);
		byte[] damaged = Arrays.copyOf(compressed, compressed.length);
		damaged[damaged.length / 2] ^= 0x5A;
		byte[] truncated = Arrays.copyOf(compressed, compressed.length - 7);
		try (ZstdDecompressCtx context = new ZstdDecompressCtx()) {
			// when, then
			for (byte[] bad : new byte[][] { damaged, truncated }) {
				assertThatThrownBy(() -> Pack.decompress(bad, plain.length, "block x"))
					.isInstanceOf(VaultIntegrityException.class)
					.hasMessageContaining("block x does not decompress to its 20000 bytes");
				assertThatThrownBy(() -> Pack.decompress(context, bad, plain.length, "block x"))
					.isInstanceOf(VaultIntegrityException.class)
					.hasMessageContaining("block x does not decompress to its 20000 bytes");
			}
			assertThatThrownBy(() -> Pack.decompress(context, compressed, plain.length + 1, "block y"))
				.isInstanceOf(VaultIntegrityException.class)
				.hasMessageContaining("block y does not decompress to its 20001 bytes");
			assertThatThrownBy(() -> Pack.decompress(compressed, plain.length + 1, "block y"))
				.isInstanceOf(VaultIntegrityException.class);
			assertThat(Pack.decompress(context, compressed, plain.length, "block z")).isEqualTo(plain);
		}
	}

	private static byte[] text(Random random, int length) {
		String[] words = { "invoice", "meeting", "tomorrow", "approved", "the", "and", "client", "ok", "thanks" };
		StringBuilder text = new StringBuilder(length + 16);
		while (text.length() < length) {
			text.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
		}
		return text.substring(0, length).getBytes(StandardCharsets.UTF_8);
	}

}
