package io.chatvault.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Iterator;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * The recipient's OpenPGP public key (armored or binary): every file of an export is
 * encrypted to its first encryption key, AES-256 with an integrity packet, as one literal
 * data packet.
 */
final class OpenPgpRecipient {

	private final PGPPublicKey key;

	private final SecureRandom random = new SecureRandom();

	private OpenPgpRecipient(PGPPublicKey key) {
		this.key = key;
	}

	static OpenPgpRecipient read(Path file) throws IOException {
		try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
			PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
			for (Iterator<PGPPublicKeyRing> r = rings.getKeyRings(); r.hasNext();) {
				for (Iterator<PGPPublicKey> k = r.next().getPublicKeys(); k.hasNext();) {
					PGPPublicKey key = k.next();
					if (key.isEncryptionKey()) {
						return new OpenPgpRecipient(key);
					}
				}
			}
		}
		catch (PGPException ex) {
			throw new IOException(file + " is not an OpenPGP public key: " + ex.getMessage(), ex);
		}
		throw new IOException(file + " holds no OpenPGP key that can encrypt");
	}

	/** The key's fingerprint, for the manifest and the audit log. */
	String fingerprint() {
		return org.bouncycastle.util.encoders.Hex.toHexString(this.key.getFingerprint());
	}

	OutputStream encrypt(OutputStream file, String name) throws IOException {
		PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
				new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
					.setSecureRandom(this.random));
		generator.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(this.key));
		OutputStream encrypted;
		try {
			encrypted = generator.open(file, new byte[1 << 16]);
		}
		catch (PGPException ex) {
			throw new IOException("OpenPGP encryption failed: " + ex.getMessage(), ex);
		}
		PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
		OutputStream data = literal.open(encrypted, PGPLiteralData.BINARY, name.substring(name.lastIndexOf('/') + 1),
				new Date(0), new byte[1 << 16]);
		return new java.io.FilterOutputStream(data) {
			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				this.out.write(b, off, len);
			}

			@Override
			public void close() throws IOException {
				data.close();
				literal.close();
				encrypted.close();
				generator.close();
			}
		};
	}

}
