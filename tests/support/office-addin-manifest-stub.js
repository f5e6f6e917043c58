// Stand-in for office-addin-manifest under jest: its ESM build cannot load there, and office-addin-mock only
// reads the OfficeApp enumeration from it.
module.exports = {
  OfficeApp: {
    Excel: 'excel',
    OneNote: 'onenote',
    Outlook: 'outlook',
    PowerPoint: 'powerpoint',
    Project: 'project',
    Word: 'word',
  },
};
