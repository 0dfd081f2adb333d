/* okno-data-dir.c
 *
 * SPDX-FileCopyrightText: 2026 Okno contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "OknoDataDir"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "okno-data-dir.h"
#include "okno-errors.h"

char *
okno_data_dir_default (void)
{
  return g_build_filename (g_get_user_data_dir (), "okno", NULL);
}

/* One process per data directory: an advisory lock on okno.lock. The
 * kernel drops it with the process, so a kill -9 leaves nothing stale.
 * Returns the descriptor that holds the lock, or -1. */
int
okno_data_dir_lock (const char  *dir,
                    GError     **error)
{
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (dir != NULL, -1);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot create the data folder %s: %s"), dir, g_strerror (saved));
      return -1;
    }

  path = g_build_filename (dir, "okno.lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   _("Cannot open %s: %s"), path, g_strerror (saved));
      return -1;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      close (fd);
      if (saved == EWOULDBLOCK)
        g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_LOCKED,
                     _("The data folder %s is in use by another Okno process; "
                       "stop it or choose another folder with --data-dir"), dir);
      else
        g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                     _("Cannot lock %s: %s"), path, g_strerror (saved));
      return -1;
    }

  return fd;
}

/* After a rename, the directory entry itself must reach the disk. */
gboolean
okno_fsync_dir (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "Cannot sync %s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* Crash-safe replacement of a whole file: a temporary file, fsync,
 * rename over the old one, fsync of the folder. */
gboolean
okno_write_file (const char  *path,
                 const char  *contents,
                 gssize       length,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, OKNO_DATA_ERROR, OKNO_DATA_ERROR_IO,
                   "%s", local_error->message);
      return FALSE;
    }

  return okno_fsync_dir (dir, error);
}
