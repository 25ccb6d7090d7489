import pytest

from tests.notifications.servers import GraphApi


@pytest.fixture
def graph(settings):
    """A Graph API stand-in on 127.0.0.1 with WhatsApp switched on: ``graph(answers)``."""
    servers = []

    def start(answers, timeout=2.0):
        server = GraphApi(answers)
        servers.append(server)
        settings.WHATSAPP_API_BASE = server.base_url
        settings.WHATSAPP_ACCESS_TOKEN = "EAAG-test-token-SECRET-123"
        settings.WHATSAPP_PHONE_NUMBER_ID = "109876543210"
        settings.WHATSAPP_API_VERSION = "v21.0"
        settings.WHATSAPP_TIMEOUT_SECONDS = timeout
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(autouse=True)
def _channels_up():
    """Each test starts with no channel remembered as down by ``send_now``."""
    from galeri.notifications import sending

    sending._down_until.clear()
    yield
    sending._down_until.clear()
