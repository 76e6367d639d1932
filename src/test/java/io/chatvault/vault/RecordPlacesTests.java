package io.chatvault.vault;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The recomputed ids of records blocks ({@link RecordReader.Places}) against the index
 * rows that place records in them: what {@link RecordReader#checkPlaces} says of a row.
 */
class RecordPlacesTests {

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void aRowIsComparedWithTheRecordAtItsPlaceInItsBlock() {
		// given: two blocks, added out of the order of their ids, their records' ids side
		// by side
		byte[] a = id(1);
		byte[] b = id(2);
		byte[] c = id(3);
		RecordReader.Places places = new RecordReader.Places();
		places.add(7, "block 0 of p7", concat(a, b), 2);
		places.add(3, "block 1 of p3", c, 1);

		// when
		int seven = places.position(7);
		int three = places.position(3);

		// then
		assertThat(seven).isZero();
		assertThat(three).isEqualTo(1);
		assertThat(places.problem(seven, 0, a)).isNull();
		assertThat(places.problem(seven, 1, b)).isNull();
		assertThat(places.problem(three, 0, c)).isNull();
		assertThat(places.problem(seven, 0, b)).isEqualTo("the index places message " + HEX.formatHex(b)
				+ " at record 0 of block 0 of p7, which holds the record of message " + HEX.formatHex(a)
				+ ": moved or reordered");
		assertThat(places.problem(three, 1, c)).isEqualTo("the index places message " + HEX.formatHex(c)
				+ " at record 1 of block 1 of p3, which holds 1 record(s): moved or reordered");
		assertThat(places.problem(three, -1, c)).endsWith("which holds 1 record(s): moved or reordered");
		assertThat(places.problem(three, 0, Arrays.copyOf(c, 31))).endsWith(": moved or reordered");
		assertThatIllegalStateException().isThrownBy(() -> places.position(5));
	}

	@Test
	void manyBlocksAreFoundByTheirIds() {
		// given: more blocks than the arrays first hold, in a shuffled order of ids
		RecordReader.Places places = new RecordReader.Places();
		int blocks = 100;
		for (int i = 0; i < blocks; i++) {
			long blockId = (i * 37L) % blocks;
			places.add(blockId, "block " + blockId, id((int) blockId), 1);
		}

		for (int i = 0; i < blocks; i++) {
			long blockId = (i * 37L) % blocks;
			// when
			int position = places.position(blockId);

			// then
			assertThat(position).isEqualTo(i);
			assertThat(places.problem(position, 0, id((int) blockId))).isNull();
		}
	}

	private static byte[] id(int n) {
		byte[] id = new byte[RecordCheck.ID_LENGTH];
		Arrays.fill(id, (byte) n);
		return id;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
