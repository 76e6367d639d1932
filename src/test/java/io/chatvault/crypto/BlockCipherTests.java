package io.chatvault.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BlockCipherTests {

	private final BlockCipher cipher = new BlockCipher();

	private final DataKey key = key(7, 1);

	private final byte[] seed = "a seed of twenty-three bytes".getBytes(StandardCharsets.US_ASCII);

	private final byte[] context = "pack 1, block 0".getBytes(StandardCharsets.US_ASCII);

	@Test
	void sealedBlocksOpenToTheirPayloadFlagsAndLengthAndAreDeterministic() throws TamperedCiphertextException {
		for (int size : new int[] { 0, 1, BlockCipher.SEGMENT_SIZE - 1, BlockCipher.SEGMENT_SIZE,
				BlockCipher.SEGMENT_SIZE + 1, 5 * BlockCipher.SEGMENT_SIZE + 3 }) {
			// given
			byte[] payload = random(size);

			// when
			byte[] sealed = this.cipher.seal(this.key, 0x13, 99, payload, payload.length, this.seed, this.context);
			BlockCipher.Opened opened = this.cipher.open(sealed, (id) -> this.key, this.context, "block");

			// then
			assertThat(sealed).hasSize(BlockCipher.sealedLength(size));
			assertThat(opened.payload()).isEqualTo(payload);
			assertThat(opened.flags()).isEqualTo(0x13);
			assertThat(opened.plainLength()).isEqualTo(99);
			assertThat(BlockCipher.keyId(sealed)).isEqualTo(7);
			assertThat(this.cipher.seal(this.key, 0x13, 99, payload, payload.length, this.seed, this.context))
				.isEqualTo(sealed);
		}
	}

	@Test
	void aBlockLyingInALargerArrayOpensIntoTheCallersBufferAndOnlyItsOwnBytesCount()
			throws TamperedCiphertextException {
		// given: a sealed block of three segments between other bytes, and a buffer
		// larger than its payload, full of stale bytes
		byte[] payload = random(2 * BlockCipher.SEGMENT_SIZE + 77);
		byte[] sealed = this.cipher.seal(this.key, 0x05, payload.length, payload, payload.length, this.seed,
				this.context);
		byte[] around = new byte[sealed.length + 300];
		Arrays.fill(around, (byte) 0x5A);
		System.arraycopy(sealed, 0, around, 100, sealed.length);
		byte[] into = new byte[payload.length + 1000];
		Arrays.fill(into, (byte) 0x33);

		// when
		BlockCipher.Opened opened = this.cipher.open(around, 100, sealed.length, (id) -> this.key, this.context,
				"block", into);

		// then: decrypted into the buffer, its length said
		assertThat(opened.payload()).isSameAs(into);
		assertThat(opened.payloadLength()).isEqualTo(payload.length);
		assertThat(Arrays.copyOf(into, payload.length)).isEqualTo(payload);
		assertThat(opened.flags()).isEqualTo(0x05);
		// a buffer too short: an array of its own
		BlockCipher.Opened own = this.cipher.open(around, 100, sealed.length, (id) -> this.key, this.context, "block",
				new byte[10]);
		assertThat(own.payload()).isEqualTo(payload);
		// a flipped byte inside the block fails, outside it does not matter
		around[100 + sealed.length / 2] ^= 0x01;
		assertThatExceptionOfType(TamperedCiphertextException.class).isThrownBy(
				() -> this.cipher.open(around, 100, sealed.length, (id) -> this.key, this.context, "block", into));
		around[100 + sealed.length / 2] ^= 0x01;
		around[99] ^= 0x01;
		around[100 + sealed.length] ^= 0x01;
		assertThat(
				this.cipher.open(around, 100, sealed.length, (id) -> this.key, this.context, "block", null).payload())
			.isEqualTo(payload);
		// a range one byte short is a truncated block
		assertThatExceptionOfType(TamperedCiphertextException.class).isThrownBy(
				() -> this.cipher.open(around, 100, sealed.length - 1, (id) -> this.key, this.context, "block", into));
	}

	@Test
	void theWarmUpOpensWhatItSealedOncePerProcess() {
		// when / then: it runs without a failed authentication (it throws on one), once
		// (other tests of this process may have run it already)
		BlockCipher.warmUp();
		assertThat(BlockCipher.warmUp()).isFalse();
	}

	@Test
	void anyFlippedBitFailsAuthentication() {
		// given
		byte[] sealed = this.cipher.seal(this.key, 1, 40_000, random(40_000), 40_000, this.seed, this.context);
		Random random = new Random(3);
		for (int i = 0; i < 200; i++) {
			byte[] flipped = sealed.clone();
			flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));

			// when / then
			assertThatExceptionOfType(TamperedCiphertextException.class)
				.isThrownBy(() -> this.cipher.open(flipped, (id) -> this.key, this.context, "block"));
		}
	}

	@Test
	void truncationAtASegmentBoundaryFails() {
		// given
		byte[] sealed = this.cipher.seal(this.key, 1, 0, random(3 * BlockCipher.SEGMENT_SIZE),
				3 * BlockCipher.SEGMENT_SIZE, this.seed, this.context);
		byte[] truncated = Arrays.copyOf(sealed,
				BlockCipher.HEADER_LENGTH + 2 * (BlockCipher.SEGMENT_SIZE + BlockCipher.TAG_LENGTH));

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> this.cipher.open(truncated, (id) -> this.key, this.context, "block"))
			.withMessage(
					"block: segment 1 of 2 failed authentication: altered, truncated, moved, or under another key");
	}

	@Test
	void aBlockOpenedInAnotherPlaceOrUnderAnotherKeyFails() {
		// given
		byte[] sealed = this.cipher.seal(this.key, 1, 0, random(100), 100, this.seed, this.context);
		DataKey other = key(7, 2);

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class).isThrownBy(() -> this.cipher.open(sealed,
				(id) -> this.key, "pack 1, block 1".getBytes(StandardCharsets.US_ASCII), "block"));
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> this.cipher.open(sealed, (id) -> other, this.context, "block"));
	}

	@Test
	void notABlockIsNamed() {
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> this.cipher.open(new byte[100], (id) -> this.key, this.context, "packs/ab/x block 3"))
			.withMessage("packs/ab/x block 3: not a sealed block (bad magic or version)");
	}

	private static DataKey key(long id, int seed) {
		byte[] material = new byte[32];
		new Random(seed).nextBytes(material);
		return new DataKey(id, "test", new SecretKeySpec(material, "AES"));
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}
