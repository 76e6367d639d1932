package io.chatvault.crypto;

/**
 * A data key wrapped by a key-encryption key.
 *
 * @param kekVersion the version of the key-encryption key that wrapped it
 * @param bytes the wrapped bytes (RFC 5649 AES key wrap with padding)
 */
public record WrappedKey(int kekVersion, byte[] bytes) {
}
