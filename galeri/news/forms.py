from django import forms
from django.utils.translation import gettext_lazy as _

from galeri.core.forms import CleanCharField
from galeri.news.models import ALT_MAX, BODY_MAX, TITLE_MAX
from galeri.units.models import Unit

PRIVACY_HINT = _(
    "Ditulis oleh petugas, untuk umum. Jangan menulis nama lengkap, nomor registrasi, perkara atau cerita pribadi "
    "Warga Binaan; sebut bengkel kerja dan unitnya (atau inisial, bila yang bersangkutan setuju)."
)
MARKDOWN_HINT = _(
    "Markdown sederhana: baris kosong memisah paragraf; *miring*, **tebal**, [teks tautan](https://…), "
    "daftar dengan - atau 1., ## Subjudul, > kutipan. HTML dan gambar di dalam teks tidak dipakai."
)


class PostForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"), empty_label=None)
    title = CleanCharField(label=_("Judul"), max_length=TITLE_MAX)
    body = CleanCharField(
        label=_("Isi berita"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HINT,
    )
    photo = forms.FileField(
        label=_("Foto (tidak wajib)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG atau WebP. Lokasi dan data kamera dihapus otomatis. Tanpa wajah Warga Binaan."),
    )
    photo_alt = CleanCharField(
        label=_("Teks alternatif foto"),
        max_length=ALT_MAX,
        required=False,
        help_text=_("Wajib bila ada foto: apa yang terlihat, mis. “Tas anyaman pandan di meja pameran”."),
    )
    no_inmate = forms.BooleanField(
        label=_("Saya sudah memeriksa: tidak ada Warga Binaan yang bisa dikenali di foto ini."),
        required=False,
    )
    remove_photo = forms.BooleanField(label=_("Hapus foto"), required=False)

    def __init__(self, *args, units=None, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        if post is None:
            self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
            self.fields["unit"].help_text = _("Berita unit disetujui kepala unitnya; berita Kanwil oleh pimpinan Kanwil.")
            del self.fields["remove_photo"]
        else:
            del self.fields["unit"]
            if not post.photo:
                del self.fields["remove_photo"]
        self.fields["body"].widget.attrs["aria-describedby"] = "id_body_helptext privacy-hint"

    def clean(self):
        data = super().clean()
        if data.get("photo"):
            if not data.get("photo_alt"):
                self.add_error("photo_alt", _("Tulis teks alternatif foto: apa yang terlihat di foto."))
            if not data.get("no_inmate"):
                self.add_error(
                    "no_inmate", _("Pastikan tidak ada Warga Binaan yang bisa dikenali di foto, lalu centang pernyataannya.")
                )
        return data


class StepForm(forms.Form):
    action = forms.CharField(max_length=20)
    note = CleanCharField(required=False, max_length=2000, widget=forms.Textarea)
