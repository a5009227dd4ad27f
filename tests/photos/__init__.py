"""Tests of fieldapp.photos; images.py builds the test images with Pillow."""
