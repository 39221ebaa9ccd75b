"""The `goals` command: frames, comparisons and the canon in the terminal (`main`), and the
store from the host (`store`)."""
