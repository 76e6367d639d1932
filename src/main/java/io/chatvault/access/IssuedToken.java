package io.chatvault.access;

/**
 * A token just created: the only time its secret exists outside the holder's hands.
 *
 * @param info the token as stored
 * @param secret the whole token, {@code cvt_<id>_<secret>}, to give to its holder once
 */
public record IssuedToken(TokenInfo info, String secret) {

	@Override
	public String toString() {
		return "IssuedToken[" + this.info.id() + "]";
	}

}
