"""timm.models: registry, helpers and layers, as far as the official files use them."""
