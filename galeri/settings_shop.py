"""The shop's rules, read from the environment (part of galeri/settings.py, which imports all of
this): the notification outbox, anonymous hoarding limits, buyers' links, shipping and checkout.
Every value is documented in the README's settings table and the docs page named beside it."""

import os

# --- Notifications: one outbox (docs/notifications.md) -----------------------
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", 8))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", 60))
NOTIFICATIONS_RETRY_CAP_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_CAP_SECONDS", 6 * 3600))
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("NOTIFICATIONS_LEASE_SECONDS", 600))
# Erase the text and recipient of sent / cancelled messages after this many days, of failed and
# manual ones (which staff may still need to read) after the longer period (retention table).
NOTIFICATIONS_RETENTION_DAYS = int(os.environ.get("NOTIFICATIONS_RETENTION_DAYS", 90))
NOTIFICATIONS_FAILED_RETENTION_DAYS = int(os.environ.get("NOTIFICATIONS_FAILED_RETENTION_DAYS", 365))
# Held delivery rates no order took (they name the buyer's village and postal code): deleted this
# many days after they expired. An order's own rate goes with the buyer's data (ORDER_RETENTION_DAYS).
RATE_QUOTE_RETENTION_DAYS = int(os.environ.get("RATE_QUOTE_RETENTION_DAYS", 7))
# How WhatsApp rows go: "cloud" (the Cloud API below), "simulated" (recorded as sent, nothing leaves
# the machine: the demo), "off" (staff send them by hand, status manual). Empty: "cloud" when the
# token and number id are set, else "simulated" outside production and "off" in production.
WHATSAPP_PROVIDER = os.environ.get("WHATSAPP_PROVIDER", "").strip().lower()
# WhatsApp Business Cloud API: off unless both the token and the phone number id are set.
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v21.0")
WHATSAPP_API_BASE = os.environ.get("WHATSAPP_API_BASE", "https://graph.facebook.com")
WHATSAPP_TEMPLATE_PREFIX = os.environ.get("WHATSAPP_TEMPLATE_PREFIX", "galeri_")
WHATSAPP_TIMEOUT_SECONDS = float(os.environ.get("WHATSAPP_TIMEOUT_SECONDS", 10))

# Anonymous hoarding (docs/security.md, galeri/orders/hoarding.py, galeri/bookings/limits.py):
# what one WhatsApp number / one client address may hold without paying, the pieces of one
# product in one online order, how long an unpaid QRIS order (the unit's acquirer) holds its
# stock, and the open online bookings per number / address.
HOARD_MAX_OPEN_ORDERS = int(os.environ.get("HOARD_MAX_OPEN_ORDERS", 3))
HOARD_MAX_OPEN_ORDERS_PER_ADDRESS = int(os.environ.get("HOARD_MAX_OPEN_ORDERS_PER_ADDRESS", 6))
HOARD_MAX_HELD_PER_PRODUCT = int(os.environ.get("HOARD_MAX_HELD_PER_PRODUCT", 10))
HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS = int(os.environ.get("HOARD_MAX_HELD_PER_PRODUCT_PER_ADDRESS", 20))
ONLINE_MAX_QUANTITY = int(os.environ.get("ONLINE_MAX_QUANTITY", 10))
ONLINE_PAYMENT_HOLD_MINUTES = int(os.environ.get("ONLINE_PAYMENT_HOLD_MINUTES", 60))
BOOKING_MAX_OPEN_PER_PHONE = int(os.environ.get("BOOKING_MAX_OPEN_PER_PHONE", 3))
BOOKING_MAX_OPEN_PER_ADDRESS = int(os.environ.get("BOOKING_MAX_OPEN_PER_ADDRESS", 6))
# Buyers' signed links (orders, bookings, custom orders) stop working this many days after the
# thing ended; the page of an expired link sends a new one (docs/security.md).
BUYER_LINK_DAYS_AFTER_END = int(os.environ.get("BUYER_LINK_DAYS_AFTER_END", 90))
# Shipping (docs/shipping.md): the rate provider ("simulated", "biteship", "rajaongkir") and its
# key from the environment (never logged); how long a chosen rate is held when checkout gives no
# payment window; how long courier rates are cached; above what parcels go "ongkir dikonfirmasi
# petugas" (sea freight / cargo) instead of a parcel courier.
SHIPPING_RATE_PROVIDER = os.environ.get("SHIPPING_RATE_PROVIDER", "simulated")
BITESHIP_API_KEY = os.environ.get("BITESHIP_API_KEY", "")
RAJAONGKIR_API_KEY = os.environ.get("RAJAONGKIR_API_KEY", "")
SHIPPING_QUOTE_HOLD_HOURS = int(os.environ.get("SHIPPING_QUOTE_HOLD_HOURS", 24))
SHIPPING_RATE_CACHE_SECONDS = int(os.environ.get("SHIPPING_RATE_CACHE_SECONDS", 600))
SHIPPING_COURIER_MAX_GRAMS = int(os.environ.get("SHIPPING_COURIER_MAX_GRAMS", 30_000))
SHIPPING_COURIER_MAX_SIDE_CM = int(os.environ.get("SHIPPING_COURIER_MAX_SIDE_CM", 150))
# Parcel tracking (orders.shipments): who answers "where is this resi", and the Biteship webhook's shared secret.
SHIPPING_TRACKING_PROVIDER = os.environ.get("SHIPPING_TRACKING_PROVIDER", "simulated")
BITESHIP_WEBHOOK_SECRET = os.environ.get("BITESHIP_WEBHOOK_SECRET", "")
# Checkout: category slugs (comma separated; a category or its parent) whose goods go by "ongkir
# dikonfirmasi petugas" (furniture: cargo or sea freight that staff arrange), docs/orders.md.
ORDERS_STAFF_QUOTE_CATEGORIES = tuple(
    slug.strip() for slug in os.environ.get("ORDERS_STAFF_QUOTE_CATEGORIES", "pertukangan-mebel").split(",") if slug.strip()
)

# --- The public home page (galeri/catalog/views.home) ------------------------
# Sections that apps beside or above the catalog add to the public home page, without the
# catalog importing them: (template, dotted path of a function returning its context).
GALLERY_HOME_SECTIONS = [
    ("events/_home_upcoming.html", "galeri.events.selectors.home_upcoming"),  # docs/events.md
    ("news/_home_news.html", "galeri.news.selectors.home_news"),  # docs/news.md
    ("production/_home_impact.html", "galeri.production.selectors.home_impact"),
]
# Page-cache scopes (galeri/core/pagecache.py) the home page shows besides "catalog": a section's
# app renews its scope when what it shows changes (news: a post published, taken back, archived;
# events: an event saved).
GALLERY_HOME_CACHE_SCOPES = ["news", "events"]
# An exhibition's reconciliation adds what offline counter sales sold beyond the ledger (events sits
# below pos, so the project wiring names the reader): {location: {product: (short, receipts)}}.
EVENT_STOCK_SHORTFALLS = "galeri.pos.offline_selectors.shortfalls_by_location"
