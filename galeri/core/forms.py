"""Form fields shared by the apps."""

from django import forms

from galeri.core.text import multi_line, single_line


class CleanCharField(forms.CharField):
    """Text as typed, cleaned: one line (``single_line``) unless the widget is a textarea, then
    several lines (``multi_line``). A pasted newline in a name never reaches a mail header, a
    NUL or escape never reaches the database."""

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(self.widget, forms.Textarea):
            return multi_line(value)
        return single_line(value)
