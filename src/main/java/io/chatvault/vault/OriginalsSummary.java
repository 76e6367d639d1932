package io.chatvault.vault;

/**
 * What storing an export's original files did.
 *
 * @param files files stored now, or found stored under the same key already
 * @param asMedia files whose bytes are stored as media already (a photo a message
 * attaches): not stored twice, the receipt points at the media
 * @param bytesStored bytes of packs written
 */
public record OriginalsSummary(int files, int asMedia, long bytesStored) {
}
