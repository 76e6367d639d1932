package io.chatvault.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts the resource data of Microsoft Graph change notifications ("rich
 * notifications") as Graph documents it: {@code encryptedContent.dataKey} is a 32-byte
 * symmetric key wrapped with the subscription certificate's RSA public key (RSA-OAEP,
 * SHA-1); {@code dataSignature} is the HMAC-SHA256 of the encrypted {@code data} under
 * that key, checked (constant time) before anything is decrypted; {@code data} is
 * AES-256-CBC with PKCS#7 padding and the key's first 16 bytes as the IV.
 */
final class GraphResourceData {

	private final PrivateKey privateKey;

	private final String certificateId;

	private GraphResourceData(PrivateKey privateKey, String certificateId) {
		this.privateKey = privateKey;
		this.certificateId = certificateId;
	}

	/**
	 * Reads a PKCS#8 private key from a PEM file.
	 * @param pem the file
	 * @param certificateId the certificate id the subscriptions name, or null to accept
	 * any
	 * @return the decryptor
	 */
	static GraphResourceData of(Path pem, String certificateId) {
		try {
			String text = Files.readString(pem);
			String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
			byte[] der = Base64.getDecoder().decode(base64);
			PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
			return new GraphResourceData(key, certificateId);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Graph private key " + pem, ex);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("Not a PKCS#8 RSA private key in PEM (-----BEGIN PRIVATE KEY-----): " + pem
					+ ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Decrypts one notification's encrypted content.
	 * @param dataKey {@code encryptedContent.dataKey}
	 * @param data {@code encryptedContent.data}
	 * @param dataSignature {@code encryptedContent.dataSignature}
	 * @param certificateId {@code encryptedContent.encryptionCertificateId}
	 * @return the resource as JSON bytes
	 * @throws InvalidContent when it is not for our key or its signature fails
	 */
	byte[] decrypt(String dataKey, String data, String dataSignature, String certificateId) throws InvalidContent {
		if (this.certificateId != null && !this.certificateId.equals(certificateId)) {
			throw new InvalidContent("encrypted for certificate '" + certificateId + "', not for ours");
		}
		byte[] symmetric;
		byte[] encrypted;
		byte[] signature;
		try {
			Base64.Decoder base64 = Base64.getDecoder();
			Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
			rsa.init(Cipher.DECRYPT_MODE, this.privateKey,
					new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
			symmetric = rsa.doFinal(base64.decode(dataKey));
			encrypted = base64.decode(data);
			signature = base64.decode(dataSignature);
		}
		catch (GeneralSecurityException | IllegalArgumentException | NullPointerException ex) {
			throw new InvalidContent("dataKey does not unwrap with our private key");
		}
		if (symmetric.length != 32) {
			throw new InvalidContent("dataKey is " + symmetric.length + " bytes, not 32");
		}
		if (!MessageDigest.isEqual(Signatures.hmacSha256(symmetric, encrypted), signature)) {
			throw new InvalidContent("dataSignature does not match the data");
		}
		try {
			Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
			aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(symmetric, "AES"),
					new IvParameterSpec(Arrays.copyOf(symmetric, 16)));
			return aes.doFinal(encrypted);
		}
		catch (GeneralSecurityException ex) {
			throw new InvalidContent("data does not decrypt: " + ex.getMessage());
		}
	}

	/** Encrypted content that is not for us or does not authenticate. */
	static final class InvalidContent extends Exception {

		InvalidContent(String message) {
			super(message);
		}

	}

}
