package io.chatvault.vault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lean reading of a pack's manifest ({@link Pack.LeanManifest}) against the JSON
 * parser's ({@link Pack#jsonManifest}): the same blocks for every manifest the writer
 * writes, and for a damaged one either nothing (the JSON parser then decides) or the
 * blocks the JSON parser reads too.
 */
class PackManifestTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final BlockKind[] KINDS = BlockKind.values();

	@Test
	void theLeanReadingGivesTheBlocksTheJsonParserGivesForWhatTheWriterWrites() {
		SplittableRandom random = new SplittableRandom(20261130);
		for (int i = 0; i < 5_000; i++) {
			// given
			byte[] manifest = Pack.manifest(bytes(random, 16), blocks(random));

			// when
			List<Pack.PackedBlock> read = new Pack.LeanManifest(manifest, 0, manifest.length).blocks();

			// then
			assertThat(read).isNotNull();
			assertSame(read, Pack.jsonManifest(manifest, 0, manifest.length, MAPPER));
		}
	}

	@Test
	void aDamagedManifestIsLeftToTheJsonParserOrReadAsItReadsIt() {
		SplittableRandom random = new SplittableRandom(7);
		int refused = 0;
		int agreed = 0;
		for (int i = 0; i < 20_000; i++) {
			// given: a written manifest with a byte changed, inserted or removed
			byte[] manifest = Pack.manifest(bytes(random, 16), blocks(random));
			byte[] damaged = damage(manifest, random);

			// when
			List<Pack.PackedBlock> read = new Pack.LeanManifest(damaged, 0, damaged.length).blocks();

			// then
			if (read == null) {
				refused++;
				continue;
			}
			List<Pack.PackedBlock> json;
			try {
				json = Pack.jsonManifest(damaged, 0, damaged.length, MAPPER);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("the lean reading read what the JSON parser refuses: "
						+ new String(damaged, java.nio.charset.StandardCharsets.ISO_8859_1), ex);
			}
			assertSame(read, json);
			agreed++;
		}
		assertThat(refused).isGreaterThan(1_000);
		assertThat(agreed).isGreaterThan(1_000);
	}

	@Test
	void itReadsOnlyBetweenItsBounds() {
		// given: a manifest inside a larger array
		byte[] manifest = Pack.manifest(new byte[] { 1, 2 }, blocks(new SplittableRandom(3)));
		byte[] around = new byte[manifest.length + 20];
		Arrays.fill(around, (byte) '}');
		System.arraycopy(manifest, 0, around, 10, manifest.length);

		// when / then
		assertSame(new Pack.LeanManifest(around, 10, 10 + manifest.length).blocks(),
				Pack.jsonManifest(manifest, 0, manifest.length, MAPPER));
		assertThat(new Pack.LeanManifest(around, 10, 10 + manifest.length - 1).blocks()).isNull();
		assertThat(new Pack.LeanManifest(around, 10, 10 + manifest.length + 1).blocks()).isNull();
	}

	private static void assertSame(List<Pack.PackedBlock> lean, List<Pack.PackedBlock> json) {
		assertThat(lean).hasSameSizeAs(json);
		for (int b = 0; b < lean.size(); b++) {
			Pack.PackedBlock l = lean.get(b);
			Pack.PackedBlock j = json.get(b);
			assertThat(l.ordinal()).isEqualTo(j.ordinal());
			assertThat(l.kind()).isEqualTo(j.kind());
			assertThat(l.dataKeyId()).isEqualTo(j.dataKeyId());
			assertThat(l.identity()).isEqualTo(j.identity());
			assertThat(l.offset()).isEqualTo(j.offset());
			assertThat(l.length()).isEqualTo(j.length());
			assertThat(l.sha256()).isEqualTo(j.sha256());
			assertThat(l.plainLength()).isEqualTo(j.plainLength());
			assertThat(l.entries()).isEqualTo(j.entries());
		}
	}

	private static List<Pack.PackedBlock> blocks(SplittableRandom random) {
		List<Pack.PackedBlock> blocks = new ArrayList<>();
		int count = random.nextInt(6);
		for (int i = 0; i < count; i++) {
			BlockKind kind = KINDS[random.nextInt(KINDS.length)];
			blocks.add(new Pack.PackedBlock(i, kind, number(random), kind.chunk() ? bytes(random, 32) : null,
					Math.abs(number(random)), random.nextInt(Integer.MAX_VALUE), bytes(random, 32),
					random.nextInt(Integer.MAX_VALUE), random.nextInt(100_000)));
		}
		return blocks;
	}

	/** Numbers of every length, zero and negatives among them. */
	private static long number(SplittableRandom random) {
		return switch (random.nextInt(4)) {
			case 0 -> random.nextInt(10);
			case 1 -> random.nextLong(1L << 20);
			case 2 -> random.nextLong();
			default -> -random.nextLong(1L << 40);
		};
	}

	private static byte[] bytes(SplittableRandom random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] damage(byte[] manifest, SplittableRandom random) {
		int at = random.nextInt(manifest.length);
		byte[] alphabet = "0123456789abcdefABCDEF-\",:{}[] xe.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		byte value = alphabet[random.nextInt(alphabet.length)];
		return switch (random.nextInt(3)) {
			case 0 -> {
				byte[] changed = manifest.clone();
				changed[at] = value;
				yield changed;
			}
			case 1 -> {
				byte[] longer = new byte[manifest.length + 1];
				System.arraycopy(manifest, 0, longer, 0, at);
				longer[at] = value;
				System.arraycopy(manifest, at, longer, at + 1, manifest.length - at);
				yield longer;
			}
			default -> {
				byte[] shorter = new byte[manifest.length - 1];
				System.arraycopy(manifest, 0, shorter, 0, at);
				System.arraycopy(manifest, at + 1, shorter, at, manifest.length - at - 1);
				yield shorter;
			}
		};
	}

}
