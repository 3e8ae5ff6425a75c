"""The installable, offline-capable app: manifest, service worker, offline page, exactly-once sync."""
