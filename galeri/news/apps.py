from django.apps import AppConfig


class NewsConfig(AppConfig):
    """Short posts by Kanwil or UPT staff, published after the unit head's approval."""

    name = "galeri.news"
    label = "news"
    verbose_name = "Berita galeri"
