-- WhatsApp Cloud API customers (issue 9): a delivery names a customer by phone number (from, wa_id,
-- recipient_id) or by business-scoped user id (from_user_id, user_id, recipient_user_id). Where one
-- names both, both identifiers are linked to one customer key, so that every later delivery naming
-- either lands in the same conversation (business number + customer key).
CREATE TABLE whatsapp_customer_links (
	business_id   VARCHAR(64)   NOT NULL,
	identifier    VARCHAR(128)  NOT NULL,
	customer_key  VARCHAR(128)  NOT NULL,
	linked_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
	PRIMARY KEY (business_id, identifier)
);

CREATE INDEX whatsapp_customer_links_key ON whatsapp_customer_links (business_id, customer_key);
