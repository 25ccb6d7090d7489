"""Responses of the WhatsApp Business Cloud API as Meta documents them (send message / errors)."""

ACCEPTED = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
    "messages": [{"id": "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ5QTk1RkYxQTc2NzREMDk5AA==", "message_status": "accepted"}],
}


def error(code, message, details="", status_type="OAuthException"):
    body = {"message": message, "type": status_type, "code": code, "fbtrace_id": "AXyz12AbCdEfGh"}
    if details:
        body["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": body}


TEMPLATE_MISSING = error(
    132001,
    "(#132001) Template name does not exist in the translation",
    "template name (galeri_order_paid) does not exist in id",
)
TOKEN_EXPIRED = error(190, "Error validating access token: Session has expired on Sunday, 06-Dec-26 10:00:00 PST.")
RATE_LIMITED = error(130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.")
META_TROUBLE = error(131000, "(#131000) Something went wrong", "Something went wrong")
UNDELIVERABLE = error(131026, "(#131026) Message Undeliverable", "Message Undeliverable.")
