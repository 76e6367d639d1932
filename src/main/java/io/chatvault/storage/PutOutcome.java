package io.chatvault.storage;

/** What a write-once put did. */
public enum PutOutcome {

	/** This call wrote the object. */
	CREATED,

	/** An object was already there; it was left untouched. */
	ALREADY_PRESENT

}
