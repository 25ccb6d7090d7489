"""The scaled setup from environment variables: S3 media (django-storages), a read replica with its
router. Each runs the real settings module in a fresh process with the variables set."""

import json

import pytest

from tests.ops.conftest import clean_env, database_url, run_py

STORAGE = r"""
import django, json
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
default_storage._setup()
print("OUT", json.dumps({"default": settings.STORAGES["default"], "serve_media": settings.SERVE_MEDIA,
      "class": type(default_storage._wrapped).__module__ + "." + type(default_storage._wrapped).__name__,
      "url": default_storage.url("produk/ab/foto.webp")}))
"""


def _out(done):
    return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("OUT "))[4:])


def test_media_on_s3_compatible_storage_when_a_bucket_is_set(tmp_path):
    env = clean_env(
        GALERI_VAR_DIR=tmp_path,
        MEDIA_S3_BUCKET="galeri-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.contoh.go.id",
        MEDIA_S3_REGION="ap-southeast-3",
        MEDIA_S3_ACCESS_KEY_ID="AKIAUJI",
        MEDIA_S3_SECRET_ACCESS_KEY="rahasia",
        MEDIA_S3_CUSTOM_DOMAIN="media.galeri.contoh.go.id",
    )
    out = _out(run_py(STORAGE, env))
    assert out["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = out["default"]["OPTIONS"]
    assert options["bucket_name"] == "galeri-media" and options["endpoint_url"] == "https://s3.contoh.go.id"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False and options["default_acl"] is None
    assert out["class"] == "storages.backends.s3.S3Storage"
    assert out["url"] == "https://media.galeri.contoh.go.id/media/produk/ab/foto.webp"
    assert out["serve_media"] is False  # the app no longer serves /media/ itself


def test_local_media_by_default(tmp_path):
    out = _out(run_py(STORAGE, clean_env(GALERI_VAR_DIR=tmp_path)))
    assert out["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert out["serve_media"] is True
    assert out["url"] == "/media/produk/ab/foto.webp"


REPLICA = r"""
import django, json
django.setup()
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from galeri.catalog.models import Product
from galeri.ops import context
from galeri.ops.routers import ReplicaRouter

def count(fn):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as replica:
        status = fn()
    return {"status": status, "primary": len(primary), "replica": len(replica)}

client = Client()
out = {
    "aliases": sorted(settings.DATABASES), "mirror": settings.DATABASES["replica"]["TEST"], "routers": settings.DATABASE_ROUTERS,
    "home": count(lambda: client.get("/").status_code),
    "listing": count(lambda: client.get("/produk/").status_code),
    "product": count(lambda: client.get(Product.objects.first().get_absolute_url()).status_code),
    "add_to_cart": count(lambda: client.post("/keranjang/tambah/", {"product": Product.objects.first().pk, "quantity": 1}).status_code),
    "cart": count(lambda: client.get("/keranjang/").status_code),
    "readyz": count(lambda: client.get("/readyz").status_code),
}
router = ReplicaRouter()
token = context.replica_reads.set(True)
out["flag_read"] = router.db_for_read(Product)
with transaction.atomic():
    out["in_transaction"] = router.db_for_read(Product)
from django.contrib.sessions.models import Session
out["session"] = router.db_for_read(Session)
out["write"] = router.db_for_write(Product)
context.replica_reads.reset(token)
out["no_flag"] = router.db_for_read(Product)
out["migrate_replica"] = router.allow_migrate("replica", "catalog")
print("OUT", json.dumps(out))
"""


@pytest.mark.django_db(transaction=True)
def test_catalogue_reads_go_to_the_replica_and_everything_else_to_the_primary(product, tmp_path):
    url = database_url()
    out = _out(run_py(REPLICA, clean_env(GALERI_VAR_DIR=tmp_path, DATABASE_URL=url, DATABASE_REPLICA_URL=url)))
    assert out["aliases"] == ["default", "replica"]
    assert out["mirror"]["MIRROR"] == "default"
    assert out["routers"] == ["galeri.ops.routers.ReplicaRouter"]
    for page in ("home", "listing", "product"):
        assert out[page]["status"] == 200
        assert out[page]["replica"] > 0, (page, out[page])
    # Writes, the cart (orders) and readiness stay on the primary.
    assert out["add_to_cart"]["status"] == 302 and out["add_to_cart"]["replica"] == 0
    assert out["cart"]["status"] == 200 and out["cart"]["replica"] == 0
    assert out["readyz"]["status"] == 200
    assert out["flag_read"] == "replica"
    assert out["in_transaction"] == "default"
    assert out["session"] == "default"
    assert out["write"] == "default" and out["no_flag"] == "default"
    assert out["migrate_replica"] is False
