#!/usr/bin/env node
// tutorial-app.js: the Node.js/Sequelize many-to-many tutorial app
// (tutorials and tags), as a user of that tutorial writes it, with a small
// command dispatcher so that a test can drive it against the database
// Tutorial Tags shares with it.
//
//   node tutorial-app.js sync-and-seed           sync({force: true}), then the seed scenario
//   node tutorial-app.js sync                    sync(), as the app does at every start
//   node tutorial-app.js dump                    {"tags": [...], "tutorials": [...]} on stdout
//   node tutorial-app.js add-tag NAME TUTORIAL_ID   create a tag, add the tutorial to it
//
// Two helpers for the test, not part of the tutorial:
//
//   node tutorial-app.js fresh-database [CHARSET]   drop and create TT_NODE_DB_NAME
//                                                (default CHARSET utf8mb4)
//   node tutorial-app.js schema                  {"TABLE": "CREATE TABLE …", …} on stdout
//
// The connection comes from TT_NODE_DB_HOST, TT_NODE_DB_PORT, TT_NODE_DB_USER,
// TT_NODE_DB_PASSWORD and TT_NODE_DB_NAME. Any error: the message on stderr
// and a non-zero exit status.
//
// The models, associations and controller queries are the tutorial's; the
// only difference is that the controllers let errors through (the tutorial
// logs them and goes on) so that the test sees them.
//
// SPDX-License-Identifier: GPL-3.0-or-later

'use strict';

const { Sequelize, DataTypes } = require('sequelize');

// --- config and models (the tutorial's app/models) ------------------------

function requireEnv (name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
}

// database: the name to use, or null to connect to none (fresh-database).
function connect (database = requireEnv('TT_NODE_DB_NAME')) {
  const port = Number.parseInt(process.env.TT_NODE_DB_PORT || '3306', 10);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`TT_NODE_DB_PORT is not a port number: ${process.env.TT_NODE_DB_PORT}`);
  }

  return new Sequelize(
    database,
    requireEnv('TT_NODE_DB_USER'),
    process.env.TT_NODE_DB_PASSWORD || '',
    {
      host: process.env.TT_NODE_DB_HOST || '127.0.0.1',
      port,
      dialect: 'mysql',
      logging: false,
      pool: { max: 5, min: 0, acquire: 30000, idle: 10000 }
    });
}

function defineModels (sequelize) {
  const Tutorial = sequelize.define('tutorial', {
    title: { type: DataTypes.STRING },
    description: { type: DataTypes.STRING }
  });

  const Tag = sequelize.define('tag', {
    name: { type: DataTypes.STRING }
  });

  Tag.belongsToMany(Tutorial, {
    through: 'tutorial_tag',
    as: 'tutorials',
    foreignKey: 'tag_id'
  });
  Tutorial.belongsToMany(Tag, {
    through: 'tutorial_tag',
    as: 'tags',
    foreignKey: 'tutorial_id'
  });

  return { Tutorial, Tag };
}

// --- controllers (the tutorial's app/controllers) --------------------------

function makeTagController ({ Tag, Tutorial }) {
  const withTutorials = {
    include: [{
      model: Tutorial,
      as: 'tutorials',
      attributes: ['id', 'title', 'description'],
      through: { attributes: [] }
    }]
  };

  return {
    async create (tag) {
      const created = await Tag.create({ name: tag.name });
      console.error(`>> Created Tag: ${JSON.stringify(created, null, 2)}`);
      return created;
    },

    async findAll () {
      return Tag.findAll(withTutorials);
    },

    async findById (id) {
      return Tag.findByPk(id, withTutorials);
    },

    async addTutorial (tagId, tutorialId) {
      const tag = await Tag.findByPk(tagId);
      if (!tag) {
        throw new Error(`Tag not found: id=${tagId}`);
      }
      const tutorial = await Tutorial.findByPk(tutorialId);
      if (!tutorial) {
        throw new Error(`Tutorial not found: id=${tutorialId}`);
      }
      await tag.addTutorial(tutorial);
      console.error(`>> added Tutorial id=${tutorial.id} to Tag id=${tag.id}`);
      return tag;
    }
  };
}

function makeTutorialController ({ Tag, Tutorial }) {
  const withTags = {
    include: [{
      model: Tag,
      as: 'tags',
      attributes: ['id', 'name'],
      through: { attributes: [] }
    }]
  };

  return {
    async create (tutorial) {
      const created = await Tutorial.create({
        title: tutorial.title,
        description: tutorial.description
      });
      console.error(`>> Created Tutorial: ${JSON.stringify(created, null, 2)}`);
      return created;
    },

    async findAll () {
      return Tutorial.findAll(withTags);
    },

    async findById (id) {
      return Tutorial.findByPk(id, withTags);
    }
  };
}

// --- commands ----------------------------------------------------------------

class UsageError extends Error {}

// --- test helpers (not the tutorial's) ------------------------------------

function quoteIdentifier (name) {
  return '`' + name.replace(/`/g, '``') + '`';
}

// Drops the database with everything in it (our tables too) and creates it
// empty, so that every run adopts a database the Node.js app made from
// nothing. A name of letters, digits and _ only: it is spliced into SQL.
async function freshDatabase (charset) {
  const name = requireEnv('TT_NODE_DB_NAME');
  if (!/^[A-Za-z0-9_]+$/.test(name) || !/^[A-Za-z0-9_]+$/.test(charset)) {
    throw new UsageError('the database name and the charset must be letters, digits and _ only');
  }

  const server = connect(null);
  try {
    await server.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
    await server.query(`CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET ${charset}`);
  } finally {
    await server.close();
  }
}

// Every table's CREATE TABLE statement, without the AUTO_INCREMENT counter
// (it moves with every insert), to see whether sync() changed anything.
async function schema (sequelize) {
  const tables = await sequelize.query('SHOW TABLES', { type: Sequelize.QueryTypes.SELECT });
  const result = {};

  for (const row of tables) {
    const table = Object.values(row)[0];
    const [created] = await sequelize.query(`SHOW CREATE TABLE ${quoteIdentifier(table)}`,
      { type: Sequelize.QueryTypes.SELECT });
    result[table] = created['Create Table'].replace(/ AUTO_INCREMENT=[0-9]+/, '');
  }
  return result;
}

// The tutorial's server.js run(): four tutorials, two tags, six links.
// The extra "tag#1" is what a Node user can do and Tutorial Tags cannot:
// a second tag whose name differs from Tag#1 only in case.
async function seed (TagController, TutorialController) {
  const tutorials = [];
  for (let n = 1; n <= 4; n++) {
    tutorials.push(await TutorialController.create({
      title: `Tut#${n}`,
      description: `Tut#${n} Description`
    }));
  }

  const tag1 = await TagController.create({ name: 'Tag#1' });
  const tag2 = await TagController.create({ name: 'Tag#2' });

  for (const i of [0, 1, 2]) {
    await TagController.addTutorial(tag1.id, tutorials[i].id);
  }
  for (const i of [2, 3, 0]) {
    await TagController.addTutorial(tag2.id, tutorials[i].id);
  }

  const lower = await TagController.create({ name: 'tag#1' });
  await TagController.addTutorial(lower.id, tutorials[1].id);
}

// findAll without an order gives rows in whatever order the server likes;
// sort for a stable, readable dump (the data is not touched).
function byId (a, b) {
  return a.id - b.id;
}

function sortedJSON (instances, nested) {
  return instances
    .map(instance => instance.toJSON())
    .sort(byId)
    .map(item => ({ ...item, [nested]: [...item[nested]].sort(byId) }));
}

function parseId (text, what) {
  if (!/^[1-9][0-9]*$/.test(text || '')) {
    throw new UsageError(`${what} must be a whole number from 1, not "${text}"`);
  }
  return Number.parseInt(text, 10);
}

const USAGE = 'usage: node tutorial-app.js {sync-and-seed | sync | dump | add-tag NAME TUTORIAL_ID' +
  ' | fresh-database [CHARSET] | schema}';

async function run (argv) {
  const [command, ...args] = argv;
  const expected = {
    'sync-and-seed': [0],
    sync: [0],
    dump: [0],
    'add-tag': [2],
    'fresh-database': [0, 1],
    schema: [0]
  };

  if (!Object.hasOwn(expected, command) || !expected[command].includes(args.length)) {
    throw new UsageError(USAGE);
  }

  if (command === 'fresh-database') {
    await freshDatabase(args[0] || 'utf8mb4');
    return;
  }

  const sequelize = connect();
  try {
    const models = defineModels(sequelize);
    const TagController = makeTagController(models);
    const TutorialController = makeTutorialController(models);

    switch (command) {
      case 'sync-and-seed':
        await sequelize.sync({ force: true });
        await seed(TagController, TutorialController);
        break;

      case 'sync':
        await sequelize.sync();
        break;

      case 'dump': {
        const tags = await TagController.findAll();
        const tutorials = await TutorialController.findAll();
        process.stdout.write(JSON.stringify({
          tags: sortedJSON(tags, 'tutorials'),
          tutorials: sortedJSON(tutorials, 'tags')
        }, null, 2) + '\n');
        break;
      }

      case 'schema':
        process.stdout.write(JSON.stringify(await schema(sequelize), null, 2) + '\n');
        break;

      case 'add-tag': {
        const tutorialId = parseId(args[1], 'TUTORIAL_ID');
        // Checked first so that a wrong id leaves no tag behind.
        if (!await TutorialController.findById(tutorialId)) {
          throw new Error(`Tutorial not found: id=${tutorialId}`);
        }
        const tag = await TagController.create({ name: args[0] });
        await TagController.addTutorial(tag.id, tutorialId);
        process.stdout.write(JSON.stringify(await TagController.findById(tag.id), null, 2) + '\n');
        break;
      }
    }
  } finally {
    await sequelize.close();
  }
}

run(process.argv.slice(2)).then(
  () => { process.exitCode = 0; },
  error => {
    const detail = error.original && error.original.message !== error.message
      ? ` (${error.original.message})`
      : '';
    console.error(`tutorial-app: ${error.message}${detail}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
