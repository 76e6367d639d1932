package io.chatvault.cli;

import java.util.Map;

/**
 * Contributes figures to {@code chatvault status}: job counts from the foundation,
 * archive figures (messages, conversations, custodians, attachments, bytesStored,
 * quarantined) from the vault.
 */
public interface StatusContributor {

	/**
	 * The figures, in display order; keys are the JSON keys of {@code status --json}.
	 * @return figure name to a number, string, or nested map
	 */
	Map<String, Object> figures();

}
