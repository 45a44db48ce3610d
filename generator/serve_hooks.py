"""MkDocs hook used by `cchc serve`: regenerate the pages from the content
folder before every rebuild, so editing a workbook updates the browser."""


def on_pre_build(config, **kwargs):
    from generator.build import regenerate_for_serve

    regenerate_for_serve()
